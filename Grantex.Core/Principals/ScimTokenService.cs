using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Principals;

/// <summary>
/// SCIM tokens (wire format §7.5): created, listed and revoked by the developer through the API; presented by its
/// identity provider to <c>/scim/v2</c>. A token is 32 random bytes as hex (64 characters, as the reference), stored
/// only as its SHA-256, shown once. SCIM tokens, API keys and principal session tokens live in different stores, so
/// none of them authenticates where another is expected.
/// </summary>
public sealed class ScimTokenService(IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, TimeProvider time)
{
    public async Task<Result<(ScimToken Token, string Secret)>> CreateAsync(string developerId, string? label, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return GxError.BadRequest("label is required", "label");
        }

        if (!Validate.Text(label.Trim(), ScimRules.MaxLabelLength))
        {
            return GxError.BadRequest($"label must be 1 to {ScimRules.MaxLabelLength} characters.", "label");
        }

        var secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var token = await writes.ExecuteAsync(async ctx =>
        {
            var token = new ScimToken
            {
                Id = Ids.New(Ids.ScimToken),
                DeveloperId = developerId,
                Label = label.Trim(),
                TokenHash = Secrets.Sha256Hex(secret),
                CreatedAt = ctx.Now,
            };
            ctx.Db.ScimTokens.Add(token);
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId), AuditActions.ScimTokenCreated, actor,
                AuditMetadata.With("scimTokenId", token.Id).And("label", token.Label)));
            return token;
        }, cancellationToken);
        return (token, secret);
    }

    /// <summary>The developer's tokens that still work, oldest first.</summary>
    public async Task<IReadOnlyList<ScimToken>> ListAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.ScimTokens.AsNoTracking().Where(t => t.DeveloperId == developerId && t.RevokedAt == null)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
    }

    public async Task<Result<ScimToken>> RevokeAsync(string developerId, string tokenId, string actor, CancellationToken cancellationToken = default) =>
        await writes.ExecuteAsync<Result<ScimToken>>(async ctx =>
        {
            var token = await ctx.Db.ScimTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.DeveloperId == developerId && t.RevokedAt == null, cancellationToken);
            if (token is null)
            {
                return GxError.NotFound("SCIM token not found");
            }

            token.RevokedAt = ctx.Now;
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId), AuditActions.ScimTokenRevoked, actor,
                AuditMetadata.With("scimTokenId", token.Id).And("label", token.Label)));
            return token;
        }, cancellationToken);

    /// <summary>The token's developer and id, or null for an unknown, revoked or malformed token (all the same to the caller).</summary>
    public async Task<ScimCaller?> AuthenticateAsync(string? secret, CancellationToken cancellationToken = default)
    {
        if (secret is null || secret.Length is < 16 or > 512)
        {
            return null;
        }

        var hash = Secrets.Sha256Hex(secret);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var token = await db.ScimTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash && t.RevokedAt == null, cancellationToken);
        if (token is null || !Secrets.FixedTimeEquals(token.TokenHash, hash))
        {
            return null;
        }

        var now = time.UtcNowMillis();
        if (token.LastUsedAt is not { } last || now - last > TimeSpan.FromMinutes(1))
        {
            await writes.ExecuteAsync(ctx => ctx.Db.ScimTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, ctx.Now), cancellationToken), cancellationToken);
        }

        return new ScimCaller(token.DeveloperId, token.Id);
    }
}
