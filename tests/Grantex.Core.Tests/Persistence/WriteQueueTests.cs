using System.Text.Json;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Persistence;

public sealed class WriteQueueTests(CoreHost host) : IClassFixture<CoreHost>
{
    private AuditService Audit => host.Get<AuditService>();

    private WriteQueue Writes => host.Get<WriteQueue>();

    [Fact]
    public async Task sixteen_parallel_writers_never_fork_the_chain()
    {
        var caller = await host.DeveloperAsync();
        const int writers = 16, perWriter = 200;

        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var ids = new List<string>();
            for (var i = 0; i < perWriter; i++)
            {
                var entry = CoreHost.Ok(await Audit.LogAsync(caller, Input($"writer-{w}", i)));
                ids.Add(entry.Id);
            }

            return ids;
        })));

        var verification = await Audit.VerifyChainAsync(caller.Developer.Id);
        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(1 + (writers * perWriter), verification.CheckedEntries); // + "developer.created"
        Assert.Equal(writers * perWriter, results.SelectMany(r => r).Distinct().Count());
        await using var db = await host.DbAsync();
        var indexes = await db.AuditEntries.Where(e => e.DeveloperId == caller.Developer.Id).Select(e => e.ChainIndex).OrderBy(i => i).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 1 + (writers * perWriter)).Select(i => (long)i), indexes);
    }

    [Fact]
    public async Task an_appended_entry_reads_back_with_every_field_as_written()
    {
        var caller = await host.DeveloperAsync();
        var metadata = JsonSerializer.SerializeToElement(new { z = 1, a = "é😀" });

        var written = CoreHost.Ok(await Audit.LogAsync(caller, new AuditLogInput("ag_1", "did:grantex:ag_1", "grnt_1", "user_1", "tool.invoked", "failure", metadata)));
        var read = await Audit.GetAsync(caller.Developer.Id, written.Id);

        Assert.NotNull(read);
        Assert.Equal(
            (written.ChainIndex, written.AgentId, written.AgentDid, written.GrantId, written.PrincipalId, written.Action, written.MetadataJson, written.Timestamp, written.PrevHash, written.Hash, written.Status, written.Actor),
            (read.ChainIndex, read.AgentId, read.AgentDid, read.GrantId, read.PrincipalId, read.Action, read.MetadataJson, read.Timestamp, read.PrevHash, read.Hash, read.Status, read.Actor));
        Assert.Equal("""{"a":"é😀","z":1}""", read.MetadataJson);
        Assert.Equal(host.Time.GetUtcNow().UtcDateTime, read.Timestamp);
        Assert.Equal(caller.Actor, read.Actor);
        Assert.Equal(AuditHash.Compute(AuditHashInput.From(read)), read.Hash);
    }

    [Fact]
    public async Task interleaved_appends_of_two_developers_keep_two_separate_intact_chains()
    {
        var a = await host.DeveloperAsync();
        var b = await host.DeveloperAsync();

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Audit.LogAsync(i % 2 == 0 ? a : b, Input("mixed", i))));

        foreach (var caller in new[] { a, b })
        {
            var verification = await Audit.VerifyChainAsync(caller.Developer.Id);
            Assert.True(verification.Valid, verification.Detail);
            Assert.Equal(51, verification.CheckedEntries);
        }
    }

    [Fact]
    public async Task a_command_that_throws_is_rolled_back_alone_while_its_batch_commits()
    {
        var caller = await host.DeveloperAsync();
        var developerId = caller.Developer.Id;

        // Hold the writer inside one command so the next three queue up and are drained into one batch.
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var gate = Writes.ExecuteAsync(async _ =>
        {
            started.SetResult();
            await release.Task;
            return 0;
        });
        await started.Task;
        var first = Writes.ExecuteAsync(ctx => AddAgentAsync(ctx, developerId, "first"));
        var failing = Writes.ExecuteAsync<Agent>(async ctx =>
        {
            await AddAgentAsync(ctx, developerId, "failing");
            throw new InvalidOperationException("boom");
        });
        var third = Writes.ExecuteAsync(ctx => AddAgentAsync(ctx, developerId, "third"));
        release.SetResult();

        await gate;
        await first;
        await third;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("boom", error.Message);
        await using var db = await host.DbAsync();
        var names = await db.Agents.Where(a => a.DeveloperId == developerId).Select(a => a.Name).ToListAsync();
        Assert.Equal(["first", "third"], names.Order());
        var actions = await db.AuditEntries.Where(e => e.DeveloperId == developerId).OrderBy(e => e.ChainIndex).Select(e => e.PrincipalId).ToListAsync();
        Assert.Equal(["", "first", "third"], actions);
        var verification = await Audit.VerifyChainAsync(developerId);
        Assert.True(verification.Valid, verification.Detail);
        Assert.Equal(3, verification.CheckedEntries);
    }

    [Fact]
    public async Task after_commit_actions_of_a_rolled_back_command_never_run()
    {
        var ran = false;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Writes.ExecuteAsync<int>(ctx =>
        {
            ctx.AfterCommit(() => ran = true);
            throw new InvalidOperationException("no");
        }));

        Assert.False(ran);
    }

    [Fact]
    public async Task after_commit_actions_run_before_the_caller_gets_the_result()
    {
        var ran = false;

        var seen = await Writes.ExecuteAsync(ctx =>
        {
            ctx.AfterCommit(() => ran = true);
            return Task.FromResult(ran);
        });

        Assert.False(seen);
        Assert.True(ran);
    }

    private static async Task<Agent> AddAgentAsync(WriteContext ctx, string developerId, string name)
    {
        var agent = new Agent
        {
            Id = Ids.New(Ids.Agent),
            DeveloperId = developerId,
            Name = name,
            Status = AgentStatus.Active,
            CreatedAt = ctx.Now,
            UpdatedAt = ctx.Now,
        };
        ctx.Db.Agents.Add(agent);
        await ctx.AppendAuditAsync(new AuditDraft(developerId, agent.Id, agent.Did, "", name, "agent.created", "{}", AuditDraft.Success, "test"));
        return agent;
    }

    private static AuditLogInput Input(string principal, int i) =>
        new("ag_x", "did:grantex:ag_x", "grnt_x", principal, "tool.invoked", null, JsonSerializer.SerializeToElement(new { i, note = "n°" + i }));
}
