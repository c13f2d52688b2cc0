using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
using Grantex.Core.Telemetry;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Grants;

/// <summary>
/// Delegation: a narrower grant for a sub-agent. Scopes must be a subset of the parent's, expiry is the earlier of
/// the request and the parent, depth is computed from the stored parent (never from input) and capped; the parent
/// is re-checked inside the same write as the insert, so a child can never outlive a concurrently revoked parent.
/// </summary>
public sealed class DelegationService(
    WriteQueue writes,
    GrantTokenService tokens,
    TokenMinter minter,
    RevocationIndex revocations,
    PolicyEnforcement policies,
    IOptions<GrantexOptions> options,
    GrantexMetrics metrics)
{
    public async Task<Result<IssuedGrantToken>> DelegateAsync(ApiKeyCaller caller, DelegateInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(input.ParentGrantToken) || string.IsNullOrEmpty(input.SubAgentId) || input.Scopes is null or { Count: 0 })
        {
            return GxError.Required(("parentGrantToken", input.ParentGrantToken), ("subAgentId", input.SubAgentId), ("scopes", input.Scopes));
        }

        var scopes = Validate.Scopes(input.Scopes, required: true);
        if (!scopes.IsSuccess)
        {
            return scopes.Error;
        }

        if (!Durations.TryParse(input.ExpiresIn ?? "1h", out var lifetime))
        {
            return GxError.BadRequest("Invalid expiresIn format. Use e.g. \"1h\", \"30m\", \"24h\".", "expiresIn");
        }

        var verified = await tokens.VerifySignedAsync(input.ParentGrantToken);
        if (!verified.IsValid)
        {
            return GxError.BadRequest(verified.Check == TokenCheck.MissingClaims ? "Invalid parentGrantToken claims" : "Invalid parentGrantToken");
        }

        var parentClaims = verified.Grant!;
        if (parentClaims.DeveloperId != caller.Developer.Id)
        {
            return GxError.Forbidden(ErrorCodes.Forbidden, "Parent grant belongs to a different developer.");
        }

        if (revocations.IsTokenRevoked(parentClaims.TokenId) || revocations.IsGrantRevoked(parentClaims.GrantId))
        {
            return GxError.BadRequest("Parent grant has been revoked");
        }

        if (tokens.IsAgentSuspended(parentClaims))
        {
            return GxError.BadRequest("The parent grant's agent is suspended: it cannot delegate until it is reactivated.");
        }

        var maxDepth = options.Value.MaxDelegationDepth;
        var outcome = await writes.ExecuteAsync<Result<TokenMinter.Minted>>(async ctx =>
        {
            var parent = await ctx.Db.Grants.AsNoTracking().FirstOrDefaultAsync(g => g.Id == parentClaims.GrantId && g.DeveloperId == caller.Developer.Id, cancellationToken);
            if (parent is null)
            {
                return GxError.BadRequest("Invalid parentGrantToken claims");
            }

            var now = ctx.Now;
            if (parent.Status == GrantStatus.Revoked)
            {
                return GxError.BadRequest("Parent grant has been revoked");
            }

            if (!await ctx.Db.Agents.AnyAsync(a => a.Id == parent.AgentId && a.Status == AgentStatus.Active, cancellationToken))
            {
                return GxError.BadRequest("The parent grant's agent is suspended: it cannot delegate until it is reactivated.");
            }

            if (parent.ExpiresAt <= now)
            {
                return GxError.BadRequest("Parent grant has expired");
            }

            if (parent.DelegationDepth + 1 > maxDepth)
            {
                return new GxError(GxErrorKind.Validation, ErrorCodes.DelegationDepthExceeded,
                    $"Delegation depth limit reached: the parent is at depth {parent.DelegationDepth} and the limit is {maxDepth}.");
            }

            var extra = scopes.Value.Where(s => !parent.Scopes.Contains(s, StringComparer.Ordinal)).ToList();
            if (extra.Count > 0)
            {
                return GxError.BadRequest($"Requested scopes exceed parent grant scopes: {string.Join(", ", extra)}");
            }

            var subAgent = await ctx.Db.Agents.AsNoTracking().FirstOrDefaultAsync(
                a => a.Id == input.SubAgentId && a.DeveloperId == caller.Developer.Id && a.Status == AgentStatus.Active, cancellationToken);
            if (subAgent is null)
            {
                return GxError.NotFound("Sub-agent not found.");
            }

            var policy = await policies.EnforceAsync(ctx, caller, subAgent.Id, parent.PrincipalId, scopes.Value, parent.Id, cancellationToken);
            if (!policy.IsSuccess)
            {
                return policy.Error;
            }

            var child = parent.Delegate(subAgent.Id, scopes.Value, now + lifetime, now);
            await ctx.InsertAsync(child);
            ctx.Emit(child.CreatedEvent());
            var minted = await minter.RecordAsync(ctx, child.ForToken(Ids.AgentDid(parent.AgentId)));
            await ctx.AppendAuditAsync(AuditDraft.For(child.AuditSubject, AuditActions.GrantDelegated, caller.Actor, AuditMetadata
                .With("parentGrantId", parent.Id)
                .And("delegationDepth", child.DelegationDepth)
                .And("scopes", child.Scopes)
                .And("expiresAt", TimeFormat.Iso(child.ExpiresAt))
                .And("tokenId", minted.Claims.TokenId)));
            return minted;
        }, cancellationToken);
        if (!outcome.IsSuccess)
        {
            return outcome.Error;
        }

        metrics.GrantIssued(delegated: true);
        return outcome.Value.Sign();
    }
}
