using Grantex.Core.Common;
using Grantex.Core.Events;
using Grantex.Core.Persistence;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Grantex.Core.Tokens;

/// <summary>
/// Records a new grant token and refresh token inside a write command, and signs the token once the command has
/// committed (signing is the expensive part and needs no lock, so it runs on the caller's thread, not the writer's).
/// </summary>
public sealed class TokenMinter(GrantTokenIssuer issuer, IOptions<GrantexOptions> options, ChangeNotifier changes)
{
    /// <summary>Records the token and refresh token rows; the grant they belong to must already be written.</summary>
    public async Task<Minted> RecordAsync(WriteContext ctx, TokenGrant grant)
    {
        var now = ctx.Now;
        var key = issuer.CurrentKey;
        var token = new IssuedToken
        {
            Id = Ids.New(Ids.Token),
            GrantId = grant.GrantId,
            DeveloperId = grant.DeveloperId,
            Kid = key.KeyId,
            IssuedAt = now,
            ExpiresAt = grant.ExpiresAt,
        };
        var refresh = Ids.RefreshToken + Secrets.Random(32);
        var refreshExpiry = now + options.Value.RefreshTokenLifetime;
        await ctx.InsertAsync(token);
        await ctx.InsertAsync(new RefreshToken
        {
            TokenHash = Secrets.Sha256Hex(refresh),
            GrantId = grant.GrantId,
            DeveloperId = grant.DeveloperId,
            CreatedAt = now,
            ExpiresAt = refreshExpiry < grant.ExpiresAt ? refreshExpiry : grant.ExpiresAt,
        });
        var claims = new GrantTokenClaims
        {
            Issuer = options.Value.Issuer,
            Subject = grant.PrincipalId,
            Audience = grant.Audience,
            AgentDid = Ids.AgentDid(grant.AgentId),
            DeveloperId = grant.DeveloperId,
            Scopes = grant.Scopes,
            GrantId = grant.GrantId,
            IssuedAt = TimeFormat.ToUnixSeconds(now),
            ExpiresAt = TimeFormat.ToUnixSeconds(grant.ExpiresAt),
            TokenId = token.Id,
            ParentAgentDid = grant.ParentAgentDid,
            ParentGrantId = grant.ParentGrantId,
            DelegationDepth = grant.DelegationDepth > 0 ? grant.DelegationDepth : null,
            Presence = grant.Presence,
            Identity = grant.Identity,
        };
        ctx.Emit(new EventDraft(grant.DeveloperId, EventTypes.TokenIssued, new TokenIssuedData(
            token.Id, grant.GrantId, grant.AgentId, grant.PrincipalId, grant.Scopes, TimeFormat.Iso(grant.ExpiresAt))));
        ctx.AfterCommit(() => changes.Publish(ChangeKind.GrantIssued, grant.DeveloperId, grant.GrantId));
        return new Minted(claims, key, refresh, grant);
    }

    public sealed record Minted(GrantTokenClaims Claims, RsaSecurityKey Key, string RefreshToken, TokenGrant Grant)
    {
        public IssuedGrantToken Sign() =>
            new(GrantTokenIssuer.Sign(Claims, Key), Grant.ExpiresAt, Grant.Scopes, RefreshToken, Grant.GrantId);
    }
}
