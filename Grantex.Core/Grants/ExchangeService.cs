using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Persistence;
using Grantex.Core.Principals;
using Grantex.Core.Telemetry;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Grants;

/// <summary>
/// Grants for codes and refresh tokens (wire format §3.6–3.7): the code of an approved request becomes a root grant and
/// its first token; a refresh token becomes a new token of the same grant. A code or refresh token used twice revokes
/// the grant it issued (RFC 9700).
/// </summary>
public sealed class ExchangeService(WriteQueue writes, TokenMinter minter, GrantRevoker revoker, GrantexMetrics metrics)
{
    public Task<Result<IssuedGrantToken>> ExchangeAsync(
        ApiKeyCaller caller, string? code, string? agentId, string? codeVerifier, CancellationToken cancellationToken = default) =>
        ExchangeAsync(caller, code, agentId, codeVerifier, binding: null, cancellationToken);

    /// <summary>
    /// The exchange with the OAuth front's extra bindings (<paramref name="binding"/>): the code must come back with the
    /// redirect URI it was issued for (RFC 6749 §4.1.3) and, when a resource is named, the one it was issued for
    /// (RFC 8707; refused with <see cref="InvalidTargetCode"/>). A mismatch is audited and consumes nothing.
    /// </summary>
    public async Task<Result<IssuedGrantToken>> ExchangeAsync(
        ApiKeyCaller caller, string? code, string? agentId, string? codeVerifier, ExchangeBinding? binding, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(code) || string.IsNullOrEmpty(agentId))
        {
            return GxError.Required(("code", code), ("agentId", agentId));
        }

        if (code.Length > 512 || agentId.Length > 256)
        {
            return GxError.BadRequest("Invalid code");
        }

        var codeHash = Secrets.Sha256Hex(code);
        var outcome = await writes.ExecuteAsync<Result<TokenMinter.Minted>>(async ctx =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var found = await CodeRequest.For(ctx.Db)(ctx.Db, codeHash, caller.Developer.Id);
            if (found is null)
            {
                return GxError.BadRequest("Invalid code");
            }

            var request = found.Request;
            if (request.AgentId != agentId || found.AgentStatus != AgentStatus.Active)
            {
                await RefuseAsync(ctx, request, AuditActions.TokenExchangeRefused, "the code was presented for another agent or for an inactive agent", caller.Actor);
                return GxError.BadRequest("Invalid code");
            }

            if (request.Status == AuthRequestStatus.Consumed)
            {
                // RFC 9700 §4.5: a code used twice means it leaked; the grant its first use issued is revoked.
                var revoked = request.GrantId is null ? [] : await revoker.RevokeTreeAsync(ctx, request.DeveloperId, request.GrantId, caller.Actor, "code_replay", cancellationToken);
                await RefuseAsync(ctx, request, AuditActions.CodeReplayed, $"authorization code used again; {revoked.Count} grant(s) revoked", caller.Actor);
                return GxError.BadRequest("Authorization code already used. The grant it issued has been revoked.");
            }

            if (request.Status != AuthRequestStatus.Approved)
            {
                return GxError.BadRequest("Auth request not approved");
            }

            if (binding is not null && !string.Equals(binding.RedirectUri, request.RedirectUri, StringComparison.Ordinal))
            {
                await RefuseAsync(ctx, request, AuditActions.TokenExchangeRefused, "redirect_uri differs from the one the code was issued for", caller.Actor);
                return GxError.BadRequest("redirect_uri does not match the redirect URI of the authorization request.", "redirect_uri");
            }

            if (binding?.Resource is { } resource && !string.Equals(resource, request.Audience, StringComparison.Ordinal))
            {
                await RefuseAsync(ctx, request, AuditActions.TokenExchangeRefused, "resource differs from the one the code was issued for", caller.Actor);
                return new GxError(GxErrorKind.Validation, InvalidTargetCode, "resource does not match the resource the code was issued for.") { Fields = ["resource"] };
            }

            var now = ctx.Now;
            if (request.CodeExpiresAt is not { } codeExpiry || codeExpiry <= now)
            {
                return GxError.BadRequest("Authorization code expired");
            }

            if (request.CodeChallenge is null && !string.IsNullOrEmpty(codeVerifier))
            {
                // A verifier for a code issued without a challenge: the challenge was stripped on the way to
                // /v1/authorize (a PKCE downgrade), or the client is confused. Either way, never issue silently.
                await RefuseAsync(ctx, request, AuditActions.TokenPkceDowngradeRefused, "a code verifier was sent for a code issued without a code challenge", caller.Actor);
                return GxError.BadRequest("codeVerifier was sent, but this code was issued without a codeChallenge. Send codeChallenge (or code_challenge) with codeChallengeMethod S256 to /v1/authorize, or omit codeVerifier.");
            }

            if (request.CodeChallenge is not null)
            {
                if (string.IsNullOrEmpty(codeVerifier))
                {
                    return GxError.BadRequest("codeVerifier is required for PKCE", "codeVerifier");
                }

                if (!Pkce.Matches(codeVerifier, request.CodeChallenge))
                {
                    await RefuseAsync(ctx, request, AuditActions.TokenPkceFailed, "the code verifier does not match the challenge", caller.Actor);
                    return GxError.BadRequest("Invalid codeVerifier", "codeVerifier");
                }
            }

            if (await PrincipalBlocks.IsBlockedAsync(ctx.Db, request.DeveloperId, request.PrincipalId, cancellationToken))
            {
                // Approved before the principal was deactivated: the code must not become a grant now.
                await ctx.AppendAuditAsync(PrincipalBlocks.Audit(request.DeveloperId, request.AgentId, request.PrincipalId, "exchange", caller.Actor, request.Id));
                return PrincipalBlocks.Refusal(request.PrincipalId);
            }

            var grant = Grant.FromApprovedRequest(request, now);
            await ctx.InsertAsync(grant);
            ctx.Emit(grant.CreatedEvent());
            var version = request.Version;
            request.Status = AuthRequestStatus.Consumed;
            request.GrantId = grant.Id;
            request.Version++;
            // Another node may have consumed the code since it was read: then this throws as a lost race and runs again.
            await ctx.UpdateAsync(request, version, nameof(AuthRequest.Status), nameof(AuthRequest.GrantId), nameof(AuthRequest.Version));
            var minted = await minter.RecordAsync(ctx, grant.ForToken(parentAgentDid: null));
            await ctx.AppendAuditAsync(AuditDraft.For(grant.AuditSubject, AuditActions.GrantCreated, caller.Actor, AuditMetadata
                .With("authRequestId", request.Id)
                .And("scopes", grant.Scopes)
                .And("expiresAt", TimeFormat.Iso(grant.ExpiresAt))
                .And("tokenId", minted.Claims.TokenId)
                .And("presence", grant.PresenceCredentialHash is not null)
                .And("identity", IdentityLevels.ToWire(grant.IdentityLevel))
                .AndIf(grant.IdentityIssuer is not null, "identityIssuer", grant.IdentityIssuer)
                .AndIf(grant.IdentitySubject is not null, "identitySubject", grant.IdentitySubject)));
            return minted;
        }, cancellationToken);
        if (!outcome.IsSuccess)
        {
            return outcome.Error;
        }

        metrics.GrantIssued(delegated: false);
        return outcome.Value.Sign();
    }

    /// <summary>The request a code belongs to (untracked: the exchange writes it back itself) and its agent's status, in one query.</summary>
    private sealed record CodeLookup(AuthRequest Request, AgentStatus? AgentStatus);

    // Compiled once: every exchange runs it on the single writer, where EF's per-query expression work is paid in line.
    private static readonly PerEngine<Func<GrantexDbContext, string, string, Task<CodeLookup?>>> CodeRequest = new(() => EF.CompileAsyncQuery(
        (GrantexDbContext db, string codeHash, string developerId) => db.AuthRequests.AsNoTracking()
            .Where(r => r.CodeHash == codeHash && r.DeveloperId == developerId)
            .Select(r => new CodeLookup(r, db.Agents.Where(a => a.Id == r.AgentId).Select(a => (AgentStatus?)a.Status).FirstOrDefault()))
            .FirstOrDefault()));

    public async Task<Result<IssuedGrantToken>> RefreshAsync(ApiKeyCaller caller, string? refreshToken, string? agentId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(refreshToken) || string.IsNullOrEmpty(agentId))
        {
            return GxError.Required(("refreshToken", refreshToken), ("agentId", agentId));
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
                await ctx.AppendAuditAsync(AuditDraft.For(grant.AuditSubject, AuditActions.RefreshReused, caller.Actor, AuditMetadata.With("revokedGrants", revoked.Count)));
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

            var minted = await minter.RecordAsync(ctx, grant.ForToken(parentAgentDid));
            await ctx.AppendAuditAsync(AuditDraft.For(grant.AuditSubject, AuditActions.TokenRefreshed, caller.Actor, AuditMetadata.With("tokenId", minted.Claims.TokenId)));
            return minted;
        }, cancellationToken);
        return outcome.IsSuccess ? outcome.Value.Sign() : outcome.Error;
    }

    /// <summary>The machine code of a refusal because the <c>resource</c> differs from the code's or grant's (RFC 8707 <c>invalid_target</c>).</summary>
    public const string InvalidTargetCode = "INVALID_TARGET";

    private static Task<AuditEntry> RefuseAsync(WriteContext ctx, AuthRequest request, AuditAction action, string reason, string actor) =>
        ctx.AppendAuditAsync(AuditDraft.For(request.AuditSubject, action, actor, AuditMetadata.With("authRequestId", request.Id).And("reason", reason)));
}
