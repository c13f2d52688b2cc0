using Grantex.Core.Common;

namespace Grantex.Core.Passkeys;

/// <summary>Binds a passkey ceremony to one authorization request and the consent session of one browser.</summary>
public sealed record ConsentBinding(string AuthRequestId, string SessionId)
{
    public string SessionHash => Secrets.Sha256Hex(SessionId);
}
