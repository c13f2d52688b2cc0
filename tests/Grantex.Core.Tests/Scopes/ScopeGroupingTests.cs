using Grantex.Core.Scopes;

namespace Grantex.Core.Tests.Scopes;

public class ScopeGroupingTests
{
    [Fact]
    public void groups_with_a_high_risk_scope_come_first_and_keep_request_order_otherwise()
    {
        var groups = ScopeRegistry.Group(ScopeRegistry.DescribeAll(["calendar:read", "files:read", "email:read", "email:send", "calendar:write"]));

        Assert.Equal(["Email", "Calendar", "Files"], groups.Select(g => g.Category));
        Assert.Equal(["email:send", "email:read"], groups[0].Scopes.Select(s => s.Scope));
        Assert.True(groups[0].HasHighRisk);
        Assert.Equal(["calendar:read", "calendar:write"], groups[1].Scopes.Select(s => s.Scope));
    }

    [Fact]
    public void a_payment_limit_reads_as_an_amount_and_is_high_risk()
    {
        var payment = ScopeRegistry.Describe("payments:initiate:max_2500");

        Assert.Equal("Make payments on your behalf, up to 2,500 per payment", payment.Text);
        Assert.True(payment.IsHighRisk);
        Assert.Equal("Payments", payment.Category);
    }

    [Fact]
    public void an_unknown_scope_is_kept_verbatim_and_marked_not_described()
    {
        var unknown = ScopeRegistry.Describe("crm:contacts:export");

        Assert.False(unknown.Known);
        Assert.Equal("crm:contacts:export", unknown.Text);
        Assert.Equal("Crm", unknown.Category);
    }
}
