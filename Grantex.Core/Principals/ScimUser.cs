using System.Text.Json;

namespace Grantex.Core.Principals;

/// <summary>
/// A person provisioned by the developer's identity provider over SCIM (RFC 7643 User, wire format §7.5). Unlike the
/// reference, the user is tied to grants: <see cref="UserName"/> IS the principal — the <c>principalId</c> the developer
/// sends to <c>/v1/authorize</c> is matched against it exactly — so deactivating or deleting the user revokes that
/// principal's grants and blocks new ones until the user is active again. A deleted user stays as a tombstone
/// (<see cref="DeletedAt"/>) that keeps the principal blocked until the provider creates the user again.
/// </summary>
public sealed class ScimUser
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    /// <summary>The principal id. Unique per developer, compared without case (RFC 7643 §4.1.1: caseExact false).</summary>
    public required string UserName { get; set; }

    /// <summary><see cref="UserName"/> upper-cased (invariant): the uniqueness key and the key the block check reads.</summary>
    public required string NormalizedUserName { get; set; }

    public string? ExternalId { get; set; }

    public string? DisplayName { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    /// <summary>The <c>emails</c> array as JSON (<see cref="ScimEmail"/> items).</summary>
    public string EmailsJson { get; set; } = "[]";

    public bool Active { get; set; } = true;

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? DeletedAt { get; set; }

    /// <summary>Bumped on every change; the SCIM <c>meta.version</c> (a weak ETag).</summary>
    public long Version { get; set; }

    /// <summary>New grants for this principal are refused: the user is inactive or was deleted.</summary>
    public bool BlocksPrincipal => !Active || DeletedAt is not null;

    public IReadOnlyList<ScimEmail> Emails
    {
        get => JsonSerializer.Deserialize(EmailsJson, ScimJson.Default.ListScimEmail) ?? [];
        set => EmailsJson = JsonSerializer.Serialize([.. value], ScimJson.Default.ListScimEmail);
    }

    public static string Normalize(string userName) => userName.ToUpperInvariant();
}
