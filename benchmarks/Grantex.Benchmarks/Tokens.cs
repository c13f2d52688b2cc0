using Grantex.Core.Tokens;

namespace Grantex.Benchmarks;

internal static class Tokens
{
    /// <summary>Claims shaped like a real grant token of this server.</summary>
    public static GrantTokenClaims Claims(long now) => new()
    {
        Issuer = "http://127.0.0.1:5080",
        Subject = "user_bench",
        AgentDid = "did:grantex:ag_01JBENCH000000000000000000",
        DeveloperId = "dev_01JBENCH000000000000000000",
        Scopes = ["read", "write", "calendar:read"],
        GrantId = "grnt_01JBENCH000000000000000000",
        IssuedAt = now,
        ExpiresAt = now + 3600,
        TokenId = "tok_01JBENCH000000000000000000",
    };
}
