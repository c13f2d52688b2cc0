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
        Assert.Equal(await ReferenceWalkAsync(developerId), single);
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

    [Theory]
    [InlineData("ag \"quoted\" \\ back\nslash\t", "{\"note\":\"line\\nbreak \\\"q\\\"\"}")]
    [InlineData("ag_é_ß_日本_😀", "{\"emoji\":\"😀\",\"word\":\"Grüße\",\"n\":1.5}")]
    [InlineData("ag_\u0001_ctl", "{\"z\":[1,2,{\"b\":true,\"a\":null}]}")]
    public async Task entries_that_need_escaping_or_are_not_ascii_verify_as_the_reference_walk_does(string agentId, string metadata)
    {
        var caller = await host.DeveloperAsync();
        for (var i = 0; i < 5; i++)
        {
            CoreHost.Ok(await host.Get<AuditService>().LogAsync(caller, new AuditLogInput(
                agentId, "did:grantex:" + agentId, "grnt_ü", "user_\"x\"", "tool.invoked", null, JsonDocument.Parse(metadata).RootElement)));
        }

        var factory = host.Get<IDbContextFactory<GrantexDbContext>>();
        var reference = await ReferenceWalkAsync(caller.Developer.Id);
        Assert.True(reference.Valid);
        Assert.Equal(reference, await ChainSegments.VerifyAsync(factory, caller.Developer.Id, segments: 1, CancellationToken.None));
        Assert.Equal(reference, await ChainSegments.VerifyAsync(factory, caller.Developer.Id, segments: 3, CancellationToken.None));

        // A change inside an escaped field is still found, at the same entry.
        await using (var db = await host.DbAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET \"AgentId\" = {agentId + "!"} WHERE \"DeveloperId\" = {caller.Developer.Id} AND \"ChainIndex\" = 3");
        }

        var damaged = await ChainSegments.VerifyAsync(factory, caller.Developer.Id, segments: 2, CancellationToken.None);
        Assert.Equal(await ReferenceWalkAsync(caller.Developer.Id), damaged);
        Assert.Equal(("content", 3L), (damaged.Reason, damaged.CheckedEntries));
    }

    [Theory]
    [InlineData("none")]
    [InlineData("content")]
    [InlineData("delete")]
    public async Task a_scan_in_ranges_counts_every_row_and_returns_the_edges_and_asked_positions_as_one_range_does(string damage)
    {
        var developerId = await ChainAsync();
        await TamperAsync(developerId, damage, 12);
        var factory = host.Get<IDbContextFactory<GrantexDbContext>>();
        long[] positions = [0, 5, 12, 19, 20, 29, 31];

        await using var db = await factory.CreateDbContextAsync();
        var one = await ChainScan.ScanAsync(db, factory, developerId, positions, segments: 1, CancellationToken.None);
        Assert.Equal(damage == "delete" ? Length - 1 : Length, one.Rows);
        Assert.Equal((0L, Length - 1L), (one.First!.ChainIndex, one.Last!.ChainIndex));
        Assert.Equal(damage == "delete" ? [0, 5, 19, 20, 29] : new long[] { 0, 5, 12, 19, 20, 29 }, one.Observed.Select(o => o.ChainIndex));
        foreach (var segments in new[] { 2, 3, 7 })
        {
            var split = await ChainScan.ScanAsync(db, factory, developerId, positions, segments, CancellationToken.None);
            Assert.Equal(one.Rows, split.Rows);
            Assert.Equal((one.First.Id, one.Last.Id), (split.First!.Id, split.Last!.Id));
            Assert.Equal(one.Observed, split.Observed);
            Assert.Equal(one.Walk, split.Walk);
        }
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

    /// <summary>One walk with the reference <see cref="ChainWalker"/> over entries read by EF, string by string.</summary>
    private async Task<ChainVerification> ReferenceWalkAsync(string developerId)
    {
        await using var db = await host.DbAsync();
        var walker = new ChainWalker();
        foreach (var entry in await db.AuditEntries.AsNoTracking().Where(e => e.DeveloperId == developerId).OrderBy(e => e.ChainIndex).ToListAsync())
        {
            if (!walker.Feed(entry))
            {
                break;
            }
        }

        return walker.Result();
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
