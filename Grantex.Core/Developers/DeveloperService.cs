using System.Collections.Concurrent;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Identity;
using Grantex.Core.Persistence;
using Grantex.Core.Sso;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Developers;

/// <summary>Developers and their API keys: creation, authentication (SHA-256 lookup), rotation, settings.</summary>
public sealed partial class DeveloperService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    TimeProvider time,
    IOptions<GrantexOptions> options,
    ChangeNotifier changes)
{
    private const int MinKeyLength = 16;
    private const int MaxKeyLength = 512;
    private readonly ConcurrentDictionary<string, CachedKey> _keys = new(StringComparer.Ordinal);

    public static string NewApiKey(DeveloperMode mode) => (mode == DeveloperMode.Sandbox ? "gx_test_" : "gx_live_") + Secrets.Random(32);

    public Task<Result<CreatedDeveloper>> CreateAsync(string? name, DeveloperMode mode, string? email = null, CancellationToken cancellationToken = default) =>
        CreateAsync(name, mode, email, "system", cancellationToken);

    /// <summary>Creates a developer and its first API key; <paramref name="actor"/> is recorded in the audit entry.</summary>
    public async Task<Result<CreatedDeveloper>> CreateAsync(string? name, DeveloperMode mode, string? email, string actor, CancellationToken cancellationToken = default)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return GxError.BadRequest("name is required (1 to 200 characters).", "name");
        }

        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();
        if (email is not null && (email.Length > 254 || !email.Contains('@', StringComparison.Ordinal)))
        {
            return GxError.BadRequest("email must be a valid address.", "email");
        }

        var apiKey = NewApiKey(mode);
        return await writes.ExecuteAsync<Result<CreatedDeveloper>>(async ctx =>
        {
            if (email is not null && await ctx.Db.Developers.AnyAsync(d => d.Email == email, cancellationToken))
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict, "A developer with this email already exists.");
            }

            var developer = new Developer { Id = Ids.New(Ids.Developer), Name = name, Email = email, Mode = mode, CreatedAt = ctx.Now };
            ctx.Db.Developers.Add(developer);
            ctx.Db.ApiKeys.Add(NewKeyRow(developer.Id, apiKey, ctx.Now));
            await ctx.AppendAuditAsync(Audit(developer.Id, AuditActions.DeveloperCreated, actor));
            ctx.AfterCommit(() => changes.Publish(ChangeKind.DeveloperChanged, developer.Id));
            return new CreatedDeveloper(DeveloperInfo.From(developer), apiKey);
        }, cancellationToken);
    }

    /// <summary>Resolves an API key; null for a missing, malformed, unknown or expired key (one answer for all).</summary>
    public async Task<ApiKeyCaller?> AuthenticateAsync(string? apiKey, CancellationToken cancellationToken = default)
    {
        if (apiKey is null || apiKey.Length < MinKeyLength || apiKey.Length > MaxKeyLength)
        {
            return null;
        }

        var hash = Secrets.Sha256Hex(apiKey);
        var now = time.UtcNowMillis();
        if (_keys.TryGetValue(hash, out var cached))
        {
            return cached.ExpiresAt is { } exp && exp <= now ? null : cached.Caller;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash)
            .Join(db.Developers.AsNoTracking(), k => k.DeveloperId, d => d.Id, (k, d) => new { Key = k, Developer = d })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var caller = new ApiKeyCaller(DeveloperInfo.From(row.Developer), row.Key.Id);
        _keys[hash] = new CachedKey(caller, row.Key.ExpiresAt);
        return row.Key.ExpiresAt is { } expiresAt && expiresAt <= now ? null : caller;
    }

    public async Task<DeveloperInfo?> GetAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var developer = await db.Developers.AsNoTracking().FirstOrDefaultAsync(d => d.Id == developerId, cancellationToken);
        return developer is null ? null : DeveloperInfo.From(developer);
    }

    /// <summary>Issues a new key with the developer's mode prefix; the old one stops working after the grace period.</summary>
    public Task<Result<(string ApiKey, DateTime RotatedAt)>> RotateKeyAsync(ApiKeyCaller caller, CancellationToken cancellationToken = default) =>
        RotateKeyAsync(caller.Developer.Id, caller.Developer.Mode, caller.Actor, options.Value.ApiKeyRotationGrace, cancellationToken, caller.KeyId);

    /// <param name="presentedKeyId">
    /// The key that asked for the rotation (null for an operator). It must still be current inside the write: a key
    /// rotates exactly once, so of concurrent rotations with one key the first wins and the others get 409, instead of
    /// all answering 200 with keys of which only the last works.
    /// </param>
    private async Task<Result<(string ApiKey, DateTime RotatedAt)>> RotateKeyAsync(
        string developerId, DeveloperMode mode, string actor, TimeSpan grace, CancellationToken cancellationToken, string? presentedKeyId = null)
    {
        var apiKey = NewApiKey(mode);
        return await writes.ExecuteAsync<Result<(string, DateTime)>>(async ctx =>
        {
            if (presentedKeyId is not null
                && !await ctx.Db.ApiKeys.AnyAsync(k => k.Id == presentedKeyId && k.DeveloperId == developerId && k.ExpiresAt == null, cancellationToken))
            {
                await ctx.AppendAuditAsync(Audit(developerId, AuditActions.ApiKeyRotationRefused, actor,
                    AuditMetadata.With("reason", "the presented key was already rotated")));
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict,
                    "This API key has already been rotated: the key returned by that rotation is the only current one. Use it (rotating again with it if needed).");
            }

            var now = ctx.Now;
            var until = now + grace;
            await ctx.Db.ApiKeys.Where(k => k.DeveloperId == developerId && (k.ExpiresAt == null || k.ExpiresAt > until))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, until), cancellationToken);
            ctx.Db.ApiKeys.Add(NewKeyRow(developerId, apiKey, now));
            await ctx.AppendAuditAsync(Audit(developerId, AuditActions.ApiKeyRotated, actor,
                AuditMetadata.With("graceSeconds", (long)grace.TotalSeconds)));
            ctx.AfterCommit(() =>
            {
                Forget(developerId);
                changes.Publish(ChangeKind.DeveloperChanged, developerId);
            });
            return (apiKey, now);
        }, cancellationToken);
    }

    public Task<Result<DeveloperInfo>> UpdateSettingsAsync(ApiKeyCaller caller, DeveloperSettingsUpdate update, CancellationToken cancellationToken = default) =>
        UpdateSettingsAsync(caller.Developer.Id, update, caller.Actor, cancellationToken);

    /// <summary>Changes the presence requirement and passkey relying-party name; <paramref name="actor"/> is audited.</summary>
    public async Task<Result<DeveloperInfo>> UpdateSettingsAsync(string developerId, DeveloperSettingsUpdate update, string actor, CancellationToken cancellationToken = default)
    {
        if (update.FidoRequired is null && update.FidoRpName is null && update.PresenceRequirement is null && update.PrincipalAuthentication is null)
        {
            return GxError.BadRequest("No fields to update.");
        }

        if (update.FidoRpName is { } rp && (rp.Trim().Length == 0 || rp.Length > 100))
        {
            return GxError.BadRequest("fidoRpName must be 1 to 100 characters.", "fidoRpName");
        }

        return await writes.ExecuteAsync<Result<DeveloperInfo>>(async ctx =>
        {
            var developer = await ctx.Db.Developers.FirstOrDefaultAsync(d => d.Id == developerId, cancellationToken);
            if (developer is null)
            {
                return GxError.NotFound("Developer not found.");
            }

            if (update.PrincipalAuthentication is { } level && level != developer.PrincipalAuthentication)
            {
                var refusal = await PrincipalAuthenticationRefusalAsync(ctx, developer, level, cancellationToken);
                if (refusal is not null)
                {
                    return refusal;
                }

                developer.PrincipalAuthentication = level;
            }

            if (update.PresenceRequirement is { } requirement)
            {
                developer.PresenceRequirement = requirement;
            }
            else if (update.FidoRequired is { } required)
            {
                developer.PresenceRequirement = required ? PresenceRequirement.Always : PresenceRequirement.Never;
            }

            if (update.FidoRpName is { } name)
            {
                developer.FidoRpName = name.Trim();
            }

            await ctx.AppendAuditAsync(Audit(developer.Id, AuditActions.DeveloperSettingsChanged, actor,
                AuditMetadata.With("presenceRequirement", developer.PresenceRequirement.ToString())
                    .And("principalAuthentication", IdentityLevels.ToWire(developer.PrincipalAuthentication))));
            ctx.AfterCommit(() =>
            {
                Forget(developer.Id);
                changes.Publish(ChangeKind.DeveloperChanged, developer.Id);
            });
            return DeveloperInfo.From(developer);
        }, cancellationToken);
    }

    /// <summary>
    /// Sandbox developers approve automatically, so they cannot promise a verified person; <c>sso</c> needs an active
    /// OIDC connection to send people to. (<c>passkey</c> needs no connection: people enrol through an administrator's
    /// enrolment link, or after an SSO sign-in when there is a connection.)
    /// </summary>
    private static async Task<GxError?> PrincipalAuthenticationRefusalAsync(WriteContext ctx, Developer developer, IdentityLevel level, CancellationToken cancellationToken)
    {
        if (level != IdentityLevel.None && developer.IsSandbox)
        {
            return GxError.BadRequest("Sandbox developers approve every request automatically, so principalAuthentication stays none. Use a live developer to require sso or passkey.", "principalAuthentication");
        }

        if (level == IdentityLevel.Sso && !await ctx.Db.Set<SsoConnection>().AnyAsync(c => c.DeveloperId == developer.Id && c.Status == SsoConnectionStatus.Active, cancellationToken))
        {
            return GxError.BadRequest("principalAuthentication sso needs an active OIDC connection first: POST /v1/sso/connections (or /v1/sso/config) with your identity provider.", "principalAuthentication");
        }

        return null;
    }

    /// <summary>Drops cached keys of a developer so the next request re-reads them.</summary>
    public void Forget(string developerId)
    {
        foreach (var (hash, cached) in _keys)
        {
            if (cached.Caller.Developer.Id == developerId)
            {
                _keys.TryRemove(hash, out _);
            }
        }
    }

    private static AuditDraft Audit(string developerId, AuditAction action, string actor, AuditMetadata? metadata = null) =>
        AuditDraft.For(new AuditSubject(developerId), action, actor, metadata);

    private static ApiKey NewKeyRow(string developerId, string apiKey, DateTime now) => new()
    {
        Id = Ids.New(Ids.ApiKey),
        DeveloperId = developerId,
        KeyHash = Secrets.Sha256Hex(apiKey),
        Prefix = apiKey[..12],
        CreatedAt = now,
    };

    private sealed record CachedKey(ApiKeyCaller Caller, DateTime? ExpiresAt);
}
