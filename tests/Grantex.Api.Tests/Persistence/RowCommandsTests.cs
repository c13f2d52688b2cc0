using System.Data.Common;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Events;
using Grantex.Core.Grants;
using Grantex.Core.Identity;
using Grantex.Core.Passkeys;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Persistence;

/// <summary>
/// The writer's prepared row commands (issue #14) store exactly what EF's change tracker stores — every column, every
/// converter (enums as text, scope lists, UTC milliseconds) — on whichever engine the suite runs; and an update whose
/// concurrency token moved on is refused as a lost race and changes nothing.
/// </summary>
public sealed class RowCommandsTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private WriteQueue Writes => factory.Services.GetRequiredService<WriteQueue>();

    [Fact]
    public async Task every_hot_row_is_stored_column_for_column_as_ef_stores_it()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var now = new DateTime(2026, 12, 3, 7, 30, 15, 123, DateTimeKind.Utc);

        var parentId = Ids.New(Ids.Grant);
        await Writes.ExecuteAsync(async ctx =>
        {
            await ctx.InsertAsync(GrantRow(parentId, null, api.DeveloperId, agent, now));
            return 0;
        });

        var (fastGrant, efGrant) = (Ids.New(Ids.Grant), Ids.New(Ids.Grant));
        var (fastRequest, efRequest) = (Ids.New(Ids.AuthRequest), Ids.New(Ids.AuthRequest));
        var (fastToken, efToken) = (Ids.New(Ids.Token), Ids.New(Ids.Token));
        var (fastRefresh, efRefresh) = (Secrets.Sha256Hex("fast"), Secrets.Sha256Hex("ef"));
        var (fastEvent, efEvent) = (EventRow(api.DeveloperId, now), EventRow(api.DeveloperId, now));
        await Writes.ExecuteAsync(async ctx =>
        {
            await ctx.InsertAsync(GrantRow(fastGrant, parentId, api.DeveloperId, agent, now));
            await ctx.InsertAsync(RequestRow(fastRequest, fastGrant, api.DeveloperId, agent, now));
            await ctx.InsertAsync(TokenRow(fastToken, fastGrant, api.DeveloperId, now));
            await ctx.InsertAsync(RefreshRow(fastRefresh, fastGrant, api.DeveloperId, now));
            await ctx.InsertAsync(fastEvent);
            return 0;
        });
        await Writes.ExecuteAsync(async ctx =>
        {
            ctx.Db.Add(GrantRow(efGrant, parentId, api.DeveloperId, agent, now));
            await ctx.Db.SaveChangesAsync();
            ctx.Db.Add(RequestRow(efRequest, efGrant, api.DeveloperId, agent, now));
            ctx.Db.Add(TokenRow(efToken, efGrant, api.DeveloperId, now));
            ctx.Db.Add(RefreshRow(efRefresh, efGrant, api.DeveloperId, now));
            ctx.Db.Add(efEvent);
            return 0;
        });

        Assert.True(fastEvent.Seq > 0, "the store-generated sequence number is read back");
        Assert.True(efEvent.Seq > fastEvent.Seq);
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        await AssertSameRowAsync(db, "grants", "Id", fastGrant, efGrant, "Id", "RootGrantId");
        await AssertSameRowAsync(db, "auth_requests", "Id", fastRequest, efRequest, "Id", "GrantId", "CodeHash");
        await AssertSameRowAsync(db, "grant_tokens", "Id", fastToken, efToken, "Id", "GrantId");
        await AssertSameRowAsync(db, "refresh_tokens", "TokenHash", fastRefresh, efRefresh, "TokenHash", "GrantId");
        await AssertSameRowAsync(db, "events", "Id", fastEvent.Id, efEvent.Id, "Id", "Seq");

        // And EF reads the fast row back as the entity that was written.
        var read = await db.AuthRequests.AsNoTracking().SingleAsync(r => r.Id == fastRequest);
        Assert.Equal((AuthRequestStatus.Approved, now, IdentityLevel.Sso, PasskeyEnrolment.EnrolmentLink, 7L), (read.Status, read.CreatedAt, read.IdentityLevel, read.PresenceEnrolment, read.Version));
        Assert.Equal(["read", "write:all"], read.Scopes);
        Assert.Contains(fastGrant, await db.Set<GrantScope>().Where(s => s.Scope == "write:all").Select(s => s.GrantId).ToListAsync());
    }

    [Fact]
    public async Task an_update_whose_concurrency_token_moved_on_is_a_lost_race_and_changes_nothing()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var now = DateTime.UtcNow;
        var grant = Ids.New(Ids.Grant);
        var request = RequestRow(Ids.New(Ids.AuthRequest), null, api.DeveloperId, agent, now);
        await Writes.ExecuteAsync(async ctx =>
        {
            await ctx.InsertAsync(GrantRow(grant, null, api.DeveloperId, agent, now));
            await ctx.InsertAsync(request);
            return 0;
        });

        request.Status = AuthRequestStatus.Consumed;
        request.GrantId = grant;
        request.Version = 9;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => Writes.ExecuteAsync(async ctx =>
        {
            await ctx.UpdateAsync(request, 6L, nameof(AuthRequest.Status), nameof(AuthRequest.GrantId), nameof(AuthRequest.Version));
            return 0;
        }));
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync())
        {
            var unchanged = await db.AuthRequests.AsNoTracking().SingleAsync(r => r.Id == request.Id);
            Assert.Equal((AuthRequestStatus.Approved, (string?)null, 7L), (unchanged.Status, unchanged.GrantId, unchanged.Version));
        }

        await Writes.ExecuteAsync(async ctx =>
        {
            await ctx.UpdateAsync(request, 7L, nameof(AuthRequest.Status), nameof(AuthRequest.GrantId), nameof(AuthRequest.Version));
            return 0;
        });
        await using (var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync())
        {
            var changed = await db.AuthRequests.AsNoTracking().SingleAsync(r => r.Id == request.Id);
            Assert.Equal((AuthRequestStatus.Consumed, (string?)grant, 9L, "user_row"), (changed.Status, changed.GrantId, changed.Version, changed.PrincipalId));
        }
    }

    private static async Task AssertSameRowAsync(GrantexDbContext db, string table, string key, string fast, string ef, params string[] differing)
    {
        var a = await RowAsync(db, table, key, fast);
        var b = await RowAsync(db, table, key, ef);
        Assert.Equal(b.Keys.Order(), a.Keys.Order());
        foreach (var column in a.Keys.Except(differing))
        {
            Assert.True(Equals(Comparable(a[column]), Comparable(b[column])), $"{table}.{column}: row command wrote {Comparable(a[column])} ({a[column]?.GetType().Name}), EF wrote {Comparable(b[column])} ({b[column]?.GetType().Name})");
        }

        // Nothing may be left at a default by either path: the rows were built with every column set.
        Assert.DoesNotContain(a, c => c.Value is DBNull && !differing.Contains(c.Key));
    }

    // PostgreSQL returns a text[] column as an array: compare its elements, in order.
    private static object Comparable(object value) => value is string[] array ? "[" + string.Join("|", array) + "]" : value;

    private static async Task<Dictionary<string, object>> RowAsync(GrantexDbContext db, string table, string key, string id)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" WHERE \"{key}\" = @id";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{table} row {id} was not written");
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, reader.GetValue);
    }

    private static Grant GrantRow(string id, string? parent, string developer, string agent, DateTime now) => new()
    {
        Id = id,
        DeveloperId = developer,
        AgentId = agent,
        PrincipalId = "user_row",
        Scopes = ["read", "write:all"],
        Audience = "https://api.example",
        Status = GrantStatus.Revoked,
        IssuedAt = now,
        ExpiresAt = now.AddHours(2),
        RevokedAt = now.AddMinutes(1),
        RevokedBy = "console:admin",
        ParentGrantId = parent,
        RootGrantId = parent ?? id,
        DelegationDepth = parent is null ? 0 : 1,
        AuthRequestId = "areq_row",
        PresenceCredentialHash = Secrets.Sha256Hex("credential"),
        PresenceVerifiedAt = now.AddSeconds(-5),
        PresenceUserVerified = true,
        PresenceEnrolment = PasskeyEnrolment.Sso,
        IdentityLevel = IdentityLevel.Passkey,
        IdentityIssuer = "https://idp.example",
        IdentitySubject = "sub-1",
        IdentityAt = now.AddSeconds(-30),
        IdentityAmr = "hwk user",
    };

    private static AuthRequest RequestRow(string id, string? grant, string developer, string agent, DateTime now) => new()
    {
        Id = id,
        DeveloperId = developer,
        AgentId = agent,
        PrincipalId = "user_row",
        Scopes = ["read", "write:all"],
        RedirectUri = "https://app.example/callback",
        State = "state-1",
        Audience = "https://api.example",
        GrantLifetimeSeconds = 3600,
        CodeChallenge = new string('c', 43),
        Status = AuthRequestStatus.Approved,
        CreatedAt = now,
        ExpiresAt = now.AddMinutes(10),
        CodeHash = Secrets.Sha256Hex(id),
        CodeExpiresAt = now.AddMinutes(5),
        DecidedAt = now.AddSeconds(3),
        DecidedBy = "principal",
        GrantId = grant,
        PresenceCredentialId = "cred-1",
        PresenceVerifiedAt = now.AddSeconds(2),
        PresenceUserVerified = true,
        PresenceEnrolment = PasskeyEnrolment.EnrolmentLink,
        IdentityLevel = IdentityLevel.Sso,
        IdentityIssuer = "https://idp.example",
        IdentitySubject = "sub-1",
        IdentityAt = now.AddSeconds(1),
        IdentityAmr = "pwd",
        Version = 7,
    };

    private static IssuedToken TokenRow(string id, string grant, string developer, DateTime now) => new()
    {
        Id = id,
        GrantId = grant,
        DeveloperId = developer,
        Kid = "kid-row",
        IssuedAt = now,
        ExpiresAt = now.AddHours(1),
        RevokedAt = now.AddMinutes(2),
    };

    private static RefreshToken RefreshRow(string hash, string grant, string developer, DateTime now) => new()
    {
        TokenHash = hash,
        GrantId = grant,
        DeveloperId = developer,
        CreatedAt = now,
        ExpiresAt = now.AddDays(1),
        UsedAt = now.AddMinutes(3),
    };

    private static GrantexEvent EventRow(string developer, DateTime now) => new()
    {
        Id = Ids.New("evt"),
        DeveloperId = developer,
        Type = "grant.created",
        CreatedAt = now,
        Body = """{"type":"grant.created","data":{"scopes":["read"]}}""",
    };
}
