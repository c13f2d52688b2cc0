using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Grantex.Core.Passkeys;

/// <summary>
/// Identity's <see cref="UserManager{TUser}"/> over <see cref="PrincipalPasskeyStore"/>, with options of its own so the
/// console's users (<c>GrantexUser</c>) and their settings are untouched. The passkey handler reads through it.
/// </summary>
public sealed class PrincipalUserManager(PrincipalPasskeyStore store, IServiceProvider services, ILogger<UserManager<PasskeyPrincipal>> logger)
    : UserManager<PasskeyPrincipal>(store, Microsoft.Extensions.Options.Options.Create(new IdentityOptions()), new PasswordHasher<PasskeyPrincipal>(), [], [],
        new UpperInvariantLookupNormalizer(), new IdentityErrorDescriber(), services, logger);
