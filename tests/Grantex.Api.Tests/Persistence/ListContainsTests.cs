using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.Persistence;

/// <summary>
/// Queries that take a list (`ids.Contains(g.Id)`: a cascade's roots, a revocation preview's grants) must work for any
/// number of ids. EF Core 10 sends such a list as one SQL parameter per element by default, and SQLite refuses a
/// statement with more than 32,766 parameters: revoking an agent that 33,000 people had authorised failed at its audit
/// step and rolled back. SQLite now gets the list as one JSON parameter. (Npgsql sends a list to PostgreSQL as one
/// array parameter whatever its length, so the PostgreSQL pass skips this test rather than spend ~40 s inserting rows.)
/// </summary>
public sealed class ListContainsTests(GrantexApp factory) : IClassFixture<GrantexApp>
{
    private const int People = 33_000;

    [SqliteFact]
    public async Task an_agent_authorised_by_33000_people_can_be_previewed_and_revoked_in_one_command()
    {
        var api = await ApiClient.CreateAsync(factory);
        var agent = await api.CreateAgentAsync();
        var now = GrantRows.Now();
        await factory.Services.GetRequiredService<WriteQueue>().ExecuteAsync(async ctx =>
        {
            for (var i = 0; i < People; i++)
            {
                await ctx.InsertAsync(GrantRows.Active(api.DeveloperId, agent, "person_" + i, now, now.AddHours(1)));
            }

            return 0;
        });

        var grants = factory.Services.GetRequiredService<GrantService>();
        var target = new RevocationTarget(RevocationScope.Agent, api.DeveloperId, agent);
        var preview = await grants.PreviewRevocationAsync(target);
        Assert.Equal(People, preview.Grants.Count);
        Assert.Equal(People, preview.Roots.Count);

        var revoked = await grants.RevokeAsync(target, "console:list-contains");
        Assert.True(revoked.IsSuccess, revoked.Error?.Message);
        Assert.Equal(People, revoked.Value);

        // Every grant revoked, and one audit entry per revoked tree (33,000 roots went through the list query).
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.Grants.CountAsync(g => g.AgentId == agent && g.Status == GrantStatus.Active));
        Assert.Equal(People, await db.AuditEntries.CountAsync(e => e.DeveloperId == api.DeveloperId && e.AgentId == agent && e.Action == "grant.revoked"));
    }
}
