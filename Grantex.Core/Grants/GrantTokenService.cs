using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Events;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Grantex.Core.Telemetry;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Grants;

/// <summary>
/// A token against the state of its grant (wire format §3.8): online verification — the signature, then the in-memory
/// revocation index, never the database — and revoking one token (not its grant).
/// </summary>
public sealed class GrantTokenService(
    WriteQueue writes,
    RevocationIndex revocations,
    SigningKeyStore keys,
    TimeProvider time,
    IOptions<GrantexOptions> options,
    ChangeNotifier changes,
    GrantexMetrics metrics,
    ClusterNotifications cluster)
{
    private readonly GrantTokenVerifier _verifier = new(() => keys.Published, time);

    /// <summary>
    /// Online verification: signature, issuer, lifetime, the caller's developer, then the in-memory revocation
    /// index. No database reads; with several nodes, one shared round trip to hear the others first.
    /// </summary>
    public async Task<OnlineVerification> VerifyAsync(ApiKeyCaller caller, string token)
    {
        var verification = await VerifyOnlineAsync(caller, token);
        metrics.Verified(verification.Reason);
        return verification;
    }

    private async Task<OnlineVerification> VerifyOnlineAsync(ApiKeyCaller caller, string token)
    {
        // Several nodes: first hear every revocation committed before this request (a no-op on SQLite). A token
        // minted under a key another node just created is verified after that node's announcement, too.
        await cluster.SyncAsync();
        var result = await VerifySignedAsync(token);
        if (!result.IsValid)
        {
            return new OnlineVerification(false, null, result.Check);
        }

        var grant = result.Grant!;
        if (grant.DeveloperId != caller.Developer.Id)
        {
            return new OnlineVerification(false, null, TokenCheck.WrongDeveloper);
        }

        if (revocations.IsTokenRevoked(grant.TokenId) || revocations.IsGrantRevoked(grant.GrantId))
        {
            return new OnlineVerification(false, grant, TokenCheck.Revoked);
        }

        return IsAgentSuspended(grant)
            ? new OnlineVerification(false, grant, TokenCheck.AgentSuspended)
            : new OnlineVerification(true, grant, TokenCheck.Valid);
    }

    /// <summary>
    /// True while the token's agent (its <c>agt</c> DID) or, for a delegated token, the agent it was delegated from
    /// (<c>parentAgt</c>) is suspended. In memory, like the revocation index.
    /// </summary>
    public bool IsAgentSuspended(VerifiedGrant grant) =>
        (Ids.AgentIdFromDid(grant.AgentDid) is { } agent && revocations.IsAgentSuspended(agent))
        || (grant.ParentAgentDid is not null && Ids.AgentIdFromDid(grant.ParentAgentDid) is { } parent && revocations.IsAgentSuspended(parent));

    /// <summary>Signature, issuer and lifetime only (no revocation, no developer check).</summary>
    public Task<TokenVerification> VerifySignedAsync(string token) =>
        _verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = options.Value.Issuer });

    /// <summary>Revokes one token (not its grant).</summary>
    public async Task<Result<bool>> RevokeTokenAsync(ApiKeyCaller caller, string? jti, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(jti))
        {
            return GxError.Required(("jti", jti));
        }

        if (jti.Length > 512)
        {
            return GxError.NotFound("Token not found or already revoked.");
        }

        return await writes.ExecuteAsync<Result<bool>>(async ctx =>
        {
            var token = await ctx.Db.IssuedTokens.FirstOrDefaultAsync(t => t.Id == jti && t.DeveloperId == caller.Developer.Id && t.RevokedAt == null, cancellationToken);
            if (token is null)
            {
                return GxError.NotFound("Token not found or already revoked.");
            }

            token.RevokedAt = ctx.Now;
            var grant = await ctx.Db.Grants.AsNoTracking().FirstAsync(g => g.Id == token.GrantId, cancellationToken);
            await ctx.AppendAuditAsync(AuditDraft.For(grant.AuditSubject, AuditActions.TokenRevoked, caller.Actor, AuditMetadata.With("tokenId", token.Id)));
            ctx.Emit(new EventDraft(grant.DeveloperId, EventTypes.TokenRevoked, new TokenRevokedData(token.Id, grant.Id, grant.AgentId, grant.PrincipalId)));
            var expiresAt = token.ExpiresAt;
            var developerId = token.DeveloperId;
            await RevocationSync.AnnounceTokenAsync(ctx, jti, expiresAt);
            ctx.AfterCommit(() =>
            {
                revocations.RevokeToken(jti, expiresAt);
                changes.Publish(ChangeKind.TokenRevoked, developerId, jti);
            });
            return true;
        }, cancellationToken);
    }
}
