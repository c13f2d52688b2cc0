using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Policies;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Policies;

/// <summary>Policies applied by authorize, at the (fake) clock's time of day.</summary>
public sealed class PolicyEnforcementTests(CoreHost host) : IClassFixture<CoreHost>
{
    private PolicyService Policies => host.Get<PolicyService>();

    [Fact]
    public async Task a_night_deny_refuses_at_night_and_not_by_day_on_the_server_clock()
    {
        var caller = await host.DeveloperAsync(DeveloperMode.Live);
        var agent = await host.AgentAsync(caller);
        var policy = CoreHost.Ok(await Policies.CreateAsync(caller.Developer.Id,
            new PolicyInput { Name = "No nights", Effect = "deny", TimeOfDayStart = Settable<string>.To("22:00"), TimeOfDayEnd = Settable<string>.To("06:00") }, caller.Actor));

        AdvanceTo(23, 15);
        var night = await AuthorizeAsync(caller, agent.Id);
        AdvanceTo(10, 0);
        var day = await AuthorizeAsync(caller, agent.Id);

        Assert.False(night.IsSuccess);
        Assert.Equal(ErrorCodes.PolicyDenied, night.Error.Code);
        Assert.Equal(GxErrorKind.Forbidden, night.Error.Kind);
        Assert.Contains(policy.Id, night.Error.Message, StringComparison.Ordinal);
        Assert.True(day.IsSuccess);
        Assert.Null(day.Value.Code);
        Assert.Equal(AuthRequestStatus.Pending, day.Value.Request.Status);
        await using var db = await host.DbAsync();
        Assert.Equal(1, await db.AuthRequests.CountAsync(r => r.DeveloperId == caller.Developer.Id));
        var denied = await db.AuditEntries.SingleAsync(e => e.DeveloperId == caller.Developer.Id && e.Action == AuditActions.PolicyDenied.Name);
        Assert.Equal(AuditDraft.Blocked, denied.Status);
        Assert.Contains("23:15 UTC", denied.MetadataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_allow_in_a_time_zone_approves_a_live_request_at_once_with_a_code()
    {
        var caller = await host.DeveloperAsync(DeveloperMode.Live);
        var agent = await host.AgentAsync(caller);
        CoreHost.Ok(await Policies.CreateAsync(caller.Developer.Id, new PolicyInput
        {
            Name = "Tokyo office hours",
            Effect = "allow",
            TimeOfDayStart = Settable<string>.To("09:00"),
            TimeOfDayEnd = Settable<string>.To("18:00"),
            TimeZone = Settable<string>.To("Asia/Tokyo"),
        }, caller.Actor));

        // 01:00 UTC is 10:00 in Tokyo.
        AdvanceTo(1, 0);
        var approved = CoreHost.Ok(await AuthorizeAsync(caller, agent.Id));
        // 12:00 UTC is 21:00 in Tokyo: no match, consent.
        AdvanceTo(12, 0);
        var pending = CoreHost.Ok(await AuthorizeAsync(caller, agent.Id));

        Assert.NotNull(approved.Code);
        Assert.Equal(AuthRequestStatus.Approved, approved.Request.Status);
        Assert.Equal("policy", approved.Request.DecidedBy);
        Assert.NotNull(approved.AllowedBy);
        Assert.Null(pending.Code);
        Assert.Null(pending.AllowedBy);
    }

    [Fact]
    public async Task a_policy_naming_a_deleted_agent_is_refused_and_nothing_is_written()
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller);
        CoreHost.Ok(await host.Get<Grantex.Core.Agents.AgentService>().DeleteAsync(caller.Developer.Id, agent.Id, caller.Actor));

        var result = await Policies.CreateAsync(caller.Developer.Id, new PolicyInput { Name = "x", Effect = "deny", AgentId = Settable<string>.To(agent.Id) }, caller.Actor);

        Assert.False(result.IsSuccess);
        Assert.StartsWith("agentId", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(await Policies.ListAsync(caller.Developer.Id));
    }

    /// <summary>Moves the fake clock forward (it never goes back) to the next time it shows this UTC time of day.</summary>
    private void AdvanceTo(int hour, int minute)
    {
        var now = host.Time.GetUtcNow();
        var next = new DateTimeOffset(now.Date, TimeSpan.Zero).AddHours(hour).AddMinutes(minute);
        host.Time.SetUtcNow(next > now ? next : next.AddDays(1));
    }

    private Task<Result<AuthorizeResult>> AuthorizeAsync(ApiKeyCaller caller, string agentId) =>
        host.Get<AuthorizationService>().AuthorizeAsync(caller, new AuthorizeInput(agentId, "alice", ["read"], null, null, "1h", null, null, null));

    [Fact]
    public async Task the_compiled_set_authorize_uses_is_replaced_once_a_policy_change_commits()
    {
        var caller = await host.DeveloperAsync(DeveloperMode.Live);
        var cache = host.Get<PolicySetCache>();
        await using var db = await host.DbAsync();
        var before = await cache.GetAsync(db, caller.Developer.Id);
        var again = await cache.GetAsync(db, caller.Developer.Id);

        var created = CoreHost.Ok(await Policies.CreateAsync(caller.Developer.Id, new PolicyInput { Name = "Reads", Effect = "allow" }, caller.Actor));
        var afterCreate = await cache.GetAsync(db, caller.Developer.Id);
        CoreHost.Ok(await Policies.DeleteAsync(caller.Developer.Id, created.Id, caller.Actor));
        var afterDelete = await cache.GetAsync(db, caller.Developer.Id);

        Assert.Same(before, again);
        Assert.Equal(0, before.Count);
        Assert.Equal(1, afterCreate.Count);
        Assert.Equal(0, afterDelete.Count);
    }
}
