using Grantex.Core.Scopes;

namespace Grantex.Core.Tests.Scopes;

public class ScopeRegistryTests
{
    [Fact]
    public void a_payment_limit_scope_is_rendered_with_its_amount()
    {
        var scope = ScopeRegistry.Describe("payments:initiate:max_500");

        Assert.True(scope.Known);
        Assert.True(scope.IsHighRisk);
        Assert.Equal("Payments", scope.Category);
        Assert.Equal("Make payments on your behalf, up to 500 per payment", scope.Text);
    }

    [Fact]
    public void large_payment_limits_are_grouped_with_invariant_separators()
    {
        Assert.Equal("Make payments on your behalf, up to 1,000,000 per payment", ScopeRegistry.Describe("payments:initiate:max_1000000").Text);
    }

    [Theory]
    [InlineData("payments:initiate:max_")]
    [InlineData("payments:initiate:max_-5")]
    [InlineData("payments:initiate:max_5.5")]
    [InlineData("payments:initiate:max_500\n")]
    [InlineData("payments:initiate:max_500:extra")]
    public void malformed_payment_limits_are_not_described_as_limits(string scope)
    {
        var description = ScopeRegistry.Describe(scope);

        Assert.False(description.Known);
        Assert.Equal(scope, description.Text);
        Assert.True(description.IsHighRisk);
    }

    [Fact]
    public void an_unknown_scope_is_shown_verbatim_and_marked_not_described()
    {
        var scope = ScopeRegistry.Describe("crm:contacts:export");

        Assert.False(scope.Known);
        Assert.Equal("crm:contacts:export", scope.Text);
        Assert.Equal("Crm", scope.Category);
        Assert.Equal(ScopeRisk.Medium, scope.Risk);
    }

    [Fact]
    public void scope_lookups_are_case_sensitive()
    {
        Assert.False(ScopeRegistry.Describe("Calendar:Read").Known);
    }

    [Theory]
    [InlineData("email:send", ScopeRisk.High)]
    [InlineData("files:delete", ScopeRisk.High)]
    [InlineData("payments:initiate", ScopeRisk.High)]
    [InlineData("admin", ScopeRisk.High)]
    [InlineData("calendar:read", ScopeRisk.Low)]
    [InlineData("read", ScopeRisk.Low)]
    [InlineData("write", ScopeRisk.Medium)]
    public void known_scopes_carry_their_risk(string scope, ScopeRisk risk)
    {
        var description = ScopeRegistry.Describe(scope);

        Assert.True(description.Known);
        Assert.Equal(risk, description.Risk);
        Assert.NotEqual(scope, description.Text);
    }

    [Theory]
    [InlineData("crm:records:delete")]
    [InlineData("bank:transfer")]
    [InlineData("slack:SEND")]
    public void unknown_scopes_that_say_they_delete_transfer_or_send_are_flagged_high_risk(string scope)
    {
        var description = ScopeRegistry.Describe(scope);

        Assert.False(description.Known);
        Assert.True(description.IsHighRisk);
    }

    [Fact]
    public void describe_all_keeps_the_order_of_the_input()
    {
        var all = ScopeRegistry.DescribeAll(["read", "x:y", "email:send"]);

        Assert.Equal(["read", "x:y", "email:send"], all.Select(d => d.Scope));
    }
}
