using System.Text.Json;
using Grantex.Core.Audit;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Audit;

/// <summary>
/// A chain stored in SQLite and tampered with as someone with write access to the file could: walking it in
/// several segments at once must give exactly the answer of one walk from the start, wherever the damage is.
/// </summary>
public sealed class ChainSegmentsTests(CoreHost host) : IClassFixture<CoreHost>
{
    private const int Length = 30; // "developer.created" + 29 appends; 3 segments meet at positions 10 and 20

    public static TheoryData<string, int> Damage => new()
    {
        { "none", 0 },
        { "content", 0 }, { "content", 9 }, { "content", 10 }, { "content", 11 }, { "content", 20 }, { "content", 29 },
        { "link", 1 }, { "link", 10 }, { "link", 20 }, { "link", 21 },
        { "delete", 5 }, { "delete", 10 }, { "delete", 20 }, { "delete", 29 },
        { "swap", 9 }, { "swap", 10 }, { "swap", 19 },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task walking_in_segments_names_the_same_first_broken_entry_as_one_walk(string damage, int position)
    {
        var developerId = await ChainAsync();
        await TamperAsync(developerId, damage, position);
        var factory = host.Get<IDbContextFactory<GrantexDbContext>>();

        var single = await ChainSegments.VerifyAsync(factory, developerId, segments: 1, CancellationToken.None);

        Assert.Equal(damage is "none" || (damage == "delete" && position == Length - 1), single.Valid);
        foreach (var segments in new[] { 2, 3, 4, 7, 40 })
        {
            var split = await ChainSegments.VerifyAsync(factory, developerId, segments, CancellationToken.None);
            Assert.Equal(single with { Detail = null, HeadHash = null }, split with { Detail = null, HeadHash = null });
            if (single.Valid)
            {
                Assert.Equal(single.HeadHash, split.HeadHash);
            }
        }
    }

    [Fact]
    public async Task the_service_reports_an_intact_chain_with_its_head()
    {
        var developerId = await ChainAsync();

        var result = await host.Get<AuditService>().VerifyChainAsync(developerId);

        await using var db = await host.DbAsync();
        var head = await db.AuditEntries.Where(e => e.DeveloperId == developerId).OrderByDescending(e => e.ChainIndex).FirstAsync();
        Assert.True(result.Valid);
        Assert.Equal(Length, result.CheckedEntries);
        Assert.Equal(head.Hash, result.HeadHash);
    }

    [Fact]
    public async Task an_empty_chain_is_valid_with_no_entries()
    {
        var result = await ChainSegments.VerifyAsync(host.Get<IDbContextFactory<GrantexDbContext>>(), "dev_nobody", 3, CancellationToken.None);

        Assert.True(result.Valid);
        Assert.Equal(0, result.CheckedEntries);
    }

    private async Task<string> ChainAsync()
    {
        var caller = await host.DeveloperAsync();
        for (var i = 1; i < Length; i++)
        {
            CoreHost.Ok(await host.Get<AuditService>().LogAsync(caller, new AuditLogInput(
                "ag_1", "did:grantex:ag_1", "grnt_1", "user_1", "tool.invoked", null, JsonSerializer.SerializeToElement(new { i }))));
        }

        return caller.Developer.Id;
    }

    // Direct SQL, as an attacker with the database file would do it; the server itself never updates or deletes entries.
    private async Task TamperAsync(string developerId, string damage, int position)
    {
        await using var db = await host.DbAsync();
        _ = damage switch
        {
            "content" => await db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"Action\" = 'edited' WHERE \"DeveloperId\" = {developerId} AND \"ChainIndex\" = {position}"),
            "link" => await db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"PrevHash\" = {new string('0', 64)} WHERE \"DeveloperId\" = {developerId} AND \"ChainIndex\" = {position}"),
            "delete" => await db.Database.ExecuteSqlAsync($"DELETE FROM audit_entries WHERE \"DeveloperId\" = {developerId} AND \"ChainIndex\" = {position}"),
            "swap" => await db.Database.ExecuteSqlAsync($"""
                UPDATE audit_entries SET "ChainIndex" = -1 WHERE "DeveloperId" = {developerId} AND "ChainIndex" = {position};
                UPDATE audit_entries SET "ChainIndex" = {position} WHERE "DeveloperId" = {developerId} AND "ChainIndex" = {position + 1};
                UPDATE audit_entries SET "ChainIndex" = {position + 1} WHERE "DeveloperId" = {developerId} AND "ChainIndex" = -1;
                """),
            _ => 0,
        };
    }
}
