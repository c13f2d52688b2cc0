using Grantex.Core.Common;
using Grantex.Core.Grants;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.Tests.Delegation;

public sealed class DelegationTests(CoreHost host) : IClassFixture<CoreHost>
{
    private DelegationService Delegations => host.Get<DelegationService>();

    [Fact]
    public async Task a_child_with_a_subset_of_the_parent_scopes_is_issued_one_level_deeper()
    {
        var (caller, parent, sub) = await ParentAsync("read", "write");

        var child = CoreHost.Ok(await Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, sub, ["read"], "1h")));

        var verified = await host.Get<GrantTokenService>().VerifyAsync(caller, child.GrantToken);
        Assert.True(verified.Valid);
        Assert.Equal(["read"], verified.Grant!.Scopes);
        Assert.Equal(1, verified.Grant.DelegationDepth);
        Assert.Equal(parent.GrantId, verified.Grant.ParentGrantId);
        await using var db = await host.DbAsync();
        var row = await db.Grants.SingleAsync(g => g.Id == child.GrantId);
        Assert.Equal(parent.GrantId, row.ParentGrantId);
        Assert.Equal(parent.GrantId, row.RootGrantId);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("READ")]
    [InlineData("read ")]
    [InlineData(" read")]
    [InlineData("read:all")]
    public async Task scopes_outside_the_parent_set_are_refused_with_400_and_nothing_is_written(string scope)
    {
        var (caller, parent, sub) = await ParentAsync("read", "write");

        var result = await Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, sub, ["read", scope], "1h"));

        Assert.False(result.IsSuccess);
        Assert.Equal(GxErrorKind.Validation, result.Error.Kind);
        Assert.Equal(ErrorCodes.BadRequest, result.Error.Code);
        await using var db = await host.DbAsync();
        Assert.False(await db.Grants.AnyAsync(g => g.ParentGrantId == parent.GrantId));
    }

    [Fact]
    public async Task delegating_past_the_depth_limit_is_refused_with_delegation_depth_exceeded()
    {
        var (caller, token, sub) = await ParentAsync("read");
        var maxDepth = new GrantexOptions().MaxDelegationDepth;
        for (var depth = 1; depth <= maxDepth; depth++)
        {
            token = CoreHost.Ok(await Delegations.DelegateAsync(caller, new DelegateInput(token.GrantToken, sub, ["read"], "1h")));
        }

        var result = await Delegations.DelegateAsync(caller, new DelegateInput(token.GrantToken, sub, ["read"], "1h"));

        Assert.False(result.IsSuccess);
        Assert.Equal(GxErrorKind.Validation, result.Error.Kind);
        Assert.Equal(ErrorCodes.DelegationDepthExceeded, result.Error.Code);
        await using var db = await host.DbAsync();
        Assert.False(await db.Grants.AnyAsync(g => g.ParentGrantId == token.GrantId));
    }

    [Theory]
    [InlineData("30m", 30)]
    [InlineData("1h", 60)]
    [InlineData("2h", 60)]
    [InlineData("365d", 60)]
    public async Task a_child_expires_at_the_earlier_of_its_request_and_its_parent(string expiresIn, int expectedMinutes)
    {
        var (caller, parent, sub) = await ParentAsync(["read"], "1h");

        var child = CoreHost.Ok(await Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, sub, ["read"], expiresIn)));

        Assert.Equal(host.Time.GetUtcNow().UtcDateTime.AddMinutes(expectedMinutes), child.ExpiresAt);
        Assert.True(child.ExpiresAt <= parent.ExpiresAt);
    }

    [Fact]
    public async Task a_revoked_parent_cannot_delegate()
    {
        var (caller, parent, sub) = await ParentAsync("read");
        CoreHost.Ok(await host.Get<GrantService>().RevokeAsync(caller.Developer.Id, parent.GrantId, "test"));

        var result = await Delegations.DelegateAsync(caller, new DelegateInput(parent.GrantToken, sub, ["read"], "1h"));

        Assert.False(result.IsSuccess);
        Assert.Contains("revoked", result.Error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task another_developers_parent_token_is_refused()
    {
        var (_, parent, _) = await ParentAsync("read");
        var stranger = await host.DeveloperAsync();
        var strangersAgent = await host.AgentAsync(stranger);

        var result = await Delegations.DelegateAsync(stranger, new DelegateInput(parent.GrantToken, strangersAgent.Id, ["read"], "1h"));

        Assert.False(result.IsSuccess);
        Assert.Equal(GxErrorKind.Forbidden, result.Error.Kind);
    }

    private Task<(Developers.ApiKeyCaller Caller, IssuedGrantToken Parent, string SubAgentId)> ParentAsync(params string[] scopes) =>
        ParentAsync(scopes, "24h");

    private async Task<(Developers.ApiKeyCaller Caller, IssuedGrantToken Parent, string SubAgentId)> ParentAsync(string[] scopes, string expiresIn)
    {
        var caller = await host.DeveloperAsync();
        var agent = await host.AgentAsync(caller, "Parent agent");
        var sub = await host.AgentAsync(caller, "Sub agent");
        return (caller, await host.GrantAsync(caller, agent, scopes, expiresIn), sub.Id);
    }
}
