using Microsoft.AspNetCore.DataProtection;

namespace Grantex.Core.Sso;

/// <summary>Client secrets at rest: Data Protection blobs under their own purpose (security checklist, Secrets at rest).</summary>
public sealed class SsoSecrets(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Grantex.Sso.ClientSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string blob) => _protector.Unprotect(blob);
}
