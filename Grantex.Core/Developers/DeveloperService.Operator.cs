using Grantex.Core.Common;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Developers;

/// <summary>Operator-side reads and key rotation (the console), across developers.</summary>
public sealed partial class DeveloperService
{
    /// <summary>Every developer, oldest first (a server has a handful; no paging needed).</summary>
    public async Task<IReadOnlyList<DeveloperInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Developers.AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id, StringComparer.Ordinal).Select(DeveloperInfo.From)];
    }

    /// <summary>A developer's API keys (hash never included: prefix, creation, expiry), newest first.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListKeysAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.AsNoTracking().Where(k => k.DeveloperId == developerId).ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(k => k.CreatedAt).Select(k => new ApiKey
        {
            Id = k.Id,
            DeveloperId = k.DeveloperId,
            KeyHash = "",
            Prefix = k.Prefix,
            CreatedAt = k.CreatedAt,
            ExpiresAt = k.ExpiresAt,
        })];
    }

    /// <summary>
    /// Issues a new API key for a developer (shown once) and lets the current keys work for <paramref name="grace"/>
    /// more (zero: they stop now). <paramref name="actor"/> is audited.
    /// </summary>
    public async Task<Result<(string ApiKey, DateTime RotatedAt)>> RotateKeyAsync(string developerId, TimeSpan grace, string actor, CancellationToken cancellationToken = default)
    {
        if (grace < TimeSpan.Zero || grace > TimeSpan.FromDays(30))
        {
            return GxError.BadRequest("The grace period must be between 0 and 30 days.");
        }

        var developer = await GetAsync(developerId, cancellationToken);
        return developer is null
            ? GxError.NotFound("Developer not found.")
            : await RotateKeyAsync(developerId, developer.Mode, actor, grace, cancellationToken);
    }
}
