using Bunit;
using Grantex.Console.Components.Consent;
using Grantex.Core.Scopes;
using Grantex.Testing;

namespace Grantex.Console.Tests.Consent;

public sealed class ConsentScopeListTests : ComponentTest
{
    private IRenderedComponent<ConsentScopeList> Render(params string[] scopes) =>
        Context.Render<ConsentScopeList>(p => p.Add(c => c.Scopes, ScopeRegistry.DescribeAll(scopes)));

    public static TheoryData<string, string, bool> KnownScopes => new()
    {
        { "calendar:read", "See your calendar events", false },
        { "calendar:write", "Create, change and delete events in your calendar", false },
        { "email:read", "Read your email", false },
        { "email:send", "Send email as you", true },
        { "email:delete", "Delete your email", true },
        { "files:read", "Open and read your files", false },
        { "files:write", "Create and change your files", true },
        { "files:delete", "Delete your files", true },
        { "contacts:read", "See your contacts", false },
        { "contacts:write", "Add and change your contacts", false },
        { "profile:read", "See your basic profile (name, email address)", false },
        { "payments:read", "See your payment history", false },
        { "payments:initiate", "Make payments on your behalf, with no amount limit", true },
        { "payments:initiate:max_500", "Make payments on your behalf, up to 500 per payment", true },
        { "read", "Read your data in this app", false },
        { "write", "Create and change your data in this app", false },
        { "admin", "Full administrative control of your account in this app", true },
    };

    [Theory]
    [MemberData(nameof(KnownScopes))]
    public void each_known_scope_reads_in_plain_words_with_its_risk(string scope, string words, bool highRisk)
    {
        var list = Render(scope);

        var item = list.Find($"li[data-scope='{scope}']");
        Assert.Equal(words, item.QuerySelector(".gx-scope-text")!.TextContent);
        Assert.Equal(scope, item.QuerySelector(".gx-scope-id")!.TextContent);
        Assert.Equal(highRisk, item.ClassList.Contains("gx-scope-high"));
        Assert.Equal(highRisk, item.QuerySelector(".gx-risk")?.TextContent == "High risk");
        Assert.Null(item.QuerySelector(".gx-scope-undescribed"));
    }

    [Fact]
    public void an_unknown_scope_is_shown_verbatim_as_not_described()
    {
        var item = Render("crm:contacts:export").Find("li[data-scope='crm:contacts:export']");

        Assert.Equal("crm:contacts:export", item.QuerySelector(".gx-scope-text")!.TextContent);
        Assert.Equal("The app did not say what this allows. Ask the app before you agree.", item.QuerySelector(".gx-scope-undescribed")!.TextContent);
    }

    [Fact]
    public void an_unknown_scope_that_sends_or_deletes_is_still_flagged_high_risk()
    {
        var item = Render("bank:transfer").Find("li[data-scope='bank:transfer']");

        Assert.NotNull(item.QuerySelector(".gx-risk"));
    }

    [Fact]
    public void scopes_are_grouped_under_category_headings_high_risk_groups_first()
    {
        var list = Render("calendar:read", "files:read", "email:send", "payments:initiate:max_20", "calendar:write");

        Assert.Equal(["Email", "Payments", "Calendar", "Files"], list.FindAll("h3").Select(h => h.TextContent));
        Assert.Equal(2, list.Find("[data-category='Calendar']").QuerySelectorAll("li").Length);
    }
}
