using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Grantex.Core.Webhooks;

/// <summary>
/// Makes signing secrets (the reference's shape: 24 random bytes as 48 hex characters) and keeps them encrypted at
/// rest with Data Protection: unlike API keys they cannot be hashed, since every delivery is signed with them.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Grantex.Webhooks.SigningSecret.v1");

    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);
}
