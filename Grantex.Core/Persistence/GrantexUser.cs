using Microsoft.AspNetCore.Identity;

namespace Grantex.Core.Persistence;

/// <summary>A person who signs in to the console (administrator, compliance officer, viewer).</summary>
public sealed class GrantexUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTime CreatedAt { get; set; }
}
