using System.Text.Json;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Keys;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Tokens;

/// <summary>Code exchange, refresh, online verification and token revocation (wire format §3.6–3.8; api.md).</summary>
public sealed class TokenService(
    WriteQueue writes,
    TokenMinter minter,
    GrantRevoker revoker,
    RevocationIndex revocations,
    SigningKeyStore keys,
    TimeProvider time,
    IOptions<GrantexOptions> options,
    ChangeNotifier changes)
{
    private readonly GrantTokenVerifier _verifier = new(() => keys.Published, time);

    public async Task<Result<IssuedGrantToken>> ExchangeAsync(
        ApiKeyCaller caller, string? code, string? agentId, string? codeVerifier, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(agentId))
        {
            return GxError.BadRequest("code and agentId are required.");
        }

        if (code.Length > 512 || agentId.Length > 256)
        {
            return GxError.BadRequest("Invalid code");
        }

        var codeHash = Secrets.Sha256Hex(code);
        var outcome = await writes.ExecuteAsync<Result<TokenMinter.Minted>>(async ctx =>
        {
            var request = await ctx.Db.AuthRequests.FirstOrDefaultAsync(r => r.CodeHash == codeHash && r.DeveloperId == caller.Developer.Id, cancellationToken);
            if (request is null)
            {
                return GxError.BadRequest("Invalid code");
            }

            var agent = await ctx.Db.Agents.AsNoTracking().FirstAsync(a => a.Id == request.AgentId, cancellationToken);
            if (request.AgentId != agentId || agent.Status != AgentStatus.Active)
            {
                await RefuseAsync(ctx, request, "token.exchange_refused", "the code was presented for another agent or for an inactive agent", caller.Actor);
                return GxError.BadRequest("Invalid code");
            }

            if (request.Status == AuthRequestStatus.Consumed)
            {
                // RFC 9700 §4.5: a code used twice means it leaked; the grant its first use issued is revoked.
                var revoked = request.GrantId is null ? [] : await revoker.RevokeTreeAsync(ctx, request.DeveloperId, request.GrantId, caller.Actor, "code_replay", cancellationToken);
                await RefuseAsync(ctx, request, "code.replayed", $"authorization code used again; {revoked.Count} grant(s) revoked", caller.Actor);
                return GxError.BadRequest("Authorization code already used. The grant it issued has been revoked.");
            }

            if (request.Status != AuthRequestStatus.Approved)
            {
                return GxError.BadRequest("Auth request not approved");
            }

            var now = ctx.Now;
            if (request.CodeExpiresAt is not { } codeExpiry || codeExpiry <= now)
            {
                return GxError.BadRequest("Authorization code expired");
            }

            if (request.CodeChallenge is not null)
            {
                if (string.IsNullOrEmpty(codeVerifier))
                {
                    return GxError.BadRequest("codeVerifier is required for PKCE");
                }

                if (!Pkce.Matches(codeVerifier, request.CodeChallenge))
                {
                    await RefuseAsync(ctx, request, "token.pkce_failed", "the code verifier does not match the challenge", caller.Actor);
                    return GxError.BadRequest("Invalid codeVerifier");
                }
            }

            var grantId = Ids.New(Ids.Grant);
            var grant = new Grant
            {
                Id = grantId,
                RootGrantId = grantId,
                DeveloperId = request.DeveloperId,
                AgentId = request.AgentId,
                PrincipalId = request.PrincipalId,
                Scopes = request.Scopes,
                Audience = request.Audience,
                Status = GrantStatus.Active,
                IssuedAt = now,
                ExpiresAt = now.AddSeconds(request.GrantLifetimeSeconds),
                AuthRequestId = request.Id,
                PresenceCredentialHash = request.PresenceCredentialId is null ? null : Secrets.Sha256Hex(request.PresenceCredentialId),
                PresenceVerifiedAt = request.PresenceVerifiedAt,
                PresenceUserVerified = request.PresenceUserVerified,
            };
            ctx.Db.Grants.Add(grant);
            request.Status = AuthRequestStatus.Consumed;
            request.GrantId = grant.Id;
            request.Version++;
            var minted = minter.Record(ctx, grant);
            await ctx.AppendAuditAsync(GrantAudit(grant, "grant.created", caller.Actor, new()
            {
                ["authRequestId"] = request.Id,
                ["scopes"] = grant.Scopes,
                ["expiresAt"] = TimeFormat.Iso(grant.ExpiresAt),
                ["tokenId"] = minted.Claims.TokenId,
                ["presence"] = grant.PresenceCredentialHash is not null,
            }));
            return minted;
        }, cancellationToken);
        return outcome.IsSuccess ? outcome.Value.Sign() : outcome.Error;
    }

    public async Task<Result<IssuedGrantToken>> RefreshAsync(ApiKeyCaller caller, string? refreshToken, string? agentId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken) || string.IsNullOrEmpty(agentId))
        {
            return GxError.BadRequest("refreshToken and agentId are required.");
        }

        if (refreshToken.Length > 512 || agentId.Length > 256)
        {
            return GxError.BadRequest("Invalid refresh token");
        }

        var hash = Secrets.Sha256Hex(refreshToken);
        var outcome = await writes.ExecuteAsync<Result<TokenMinter.Minted>>(async ctx =>
        {
            var stored = await ctx.Db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == hash && t.DeveloperId == caller.Developer.Id, cancellationToken);
            if (stored is null)
            {
                return GxError.BadRequest("Invalid refresh token");
            }

            var grant = await ctx.Db.Grants.AsNoTracking().FirstAsync(g => g.Id == stored.GrantId, cancellationToken);
            var agent = await ctx.Db.Agents.AsNoTracking().FirstAsync(a => a.Id == grant.AgentId, cancellationToken);
            if (agent.Status != AgentStatus.Active)
            {
                return GxError.BadRequest("Invalid refresh token");
            }

            if (grant.AgentId != agentId)
            {
                return GxError.BadRequest("Agent mismatch");
            }

            var now = ctx.Now;
            if (stored.UsedAt is not null)
            {
                // RFC 9700 §4.14: a refresh token used twice was copied; revoke the grant and everything under it.
                var revoked = await revoker.RevokeTreeAsync(ctx, grant.DeveloperId, grant.Id, caller.Actor, "refresh_reuse", cancellationToken);
                await ctx.AppendAuditAsync(GrantAudit(grant, "refresh.reused", caller.Actor, new() { ["revokedGrants"] = revoked.Count }, AuditDraft.Blocked));
                return GxError.BadRequest("Refresh token already used. The grant has been revoked because a reused refresh token means it was copied.");
            }

            if (stored.ExpiresAt <= now)
            {
                return GxError.BadRequest("Refresh token expired");
            }

            if (grant.Status == GrantStatus.Revoked)
            {
                return GxError.BadRequest("Grant has been revoked");
            }

            if (grant.ExpiresAt <= now)
            {
                return GxError.BadRequest("Grant has expired");
            }

            var claimed = await ctx.Db.RefreshTokens.Where(t => t.TokenHash == hash && t.UsedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
            if (claimed != 1)
            {
                return GxError.BadRequest("Refresh token already used.");
            }

            string? parentAgentDid = null;
            if (grant.ParentGrantId is not null)
            {
                var parentAgent = await ctx.Db.Grants.AsNoTracking().Where(g => g.Id == grant.ParentGrantId).Select(g => g.AgentId).FirstAsync(cancellationToken);
                parentAgentDid = Ids.AgentDid(parentAgent);
            }

            var minted = minter.Record(ctx, grant, parentAgentDid);
            await ctx.AppendAuditAsync(GrantAudit(grant, "token.refreshed", caller.Actor, new() { ["tokenId"] = minted.Claims.TokenId }));
            return minted;
        }, cancellationToken);
        return outcome.IsSuccess ? outcome.Value.Sign() : outcome.Error;
    }

    /// <summary>
    /// Online verification: signature, issuer, lifetime, the caller's developer, then the in-memory revocation
    /// index. No database access.
    /// </summary>
    public async Task<OnlineVerification> VerifyAsync(ApiKeyCaller caller, string token)
    {
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

        return revocations.IsTokenRevoked(grant.TokenId) || revocations.IsGrantRevoked(grant.GrantId)
            ? new OnlineVerification(false, grant, TokenCheck.Revoked)
            : new OnlineVerification(true, grant, TokenCheck.Valid);
    }

    /// <summary>Signature, issuer and lifetime only (no revocation, no developer check).</summary>
    public Task<TokenVerification> VerifySignedAsync(string token) =>
        _verifier.VerifyAsync(token, new GrantTokenVerifierOptions { Issuer = options.Value.Issuer });

    /// <summary>Revokes one token (not its grant).</summary>
    public async Task<Result<bool>> RevokeTokenAsync(ApiKeyCaller caller, string? jti, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(jti))
        {
            return GxError.BadRequest("jti is required.");
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
            await ctx.AppendAuditAsync(GrantAudit(grant, "token.revoked", caller.Actor, new() { ["tokenId"] = token.Id }));
            var expiresAt = token.ExpiresAt;
            var developerId = token.DeveloperId;
            ctx.AfterCommit(() =>
            {
                revocations.RevokeToken(jti, expiresAt);
                changes.Publish(ChangeKind.TokenRevoked, developerId, jti);
            });
            return true;
        }, cancellationToken);
    }

    internal static AuditDraft GrantAudit(Grant grant, string action, string actor, Dictionary<string, object?> metadata, string status = AuditDraft.Success) =>
        new(grant.DeveloperId, grant.AgentId, Ids.AgentDid(grant.AgentId), grant.Id, grant.PrincipalId, action,
            AuditHash.Canonicalize(JsonSerializer.SerializeToElement(metadata)), status, actor);

    private static Task<AuditEntry> RefuseAsync(WriteContext ctx, AuthRequest request, string action, string reason, string actor) =>
        ctx.AppendAuditAsync(new AuditDraft(
            request.DeveloperId, request.AgentId, Ids.AgentDid(request.AgentId), request.GrantId ?? "", request.PrincipalId, action,
            AuditHash.Canonicalize(JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["authRequestId"] = request.Id, ["reason"] = reason })),
            AuditDraft.Blocked, actor));
}
