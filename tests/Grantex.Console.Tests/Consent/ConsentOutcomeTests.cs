using Bunit;
using Grantex.Console.Components.Consent;
using Grantex.Testing;

namespace Grantex.Console.Tests.Consent;

public sealed class ConsentOutcomeTests : ComponentTest
{
    [Theory]
    [InlineData(ConsentPageState.Expired, "This request has expired", "Go back to the app")]
    [InlineData(ConsentPageState.AlreadyApproved, "This request was already answered", "allowed earlier")]
    [InlineData(ConsentPageState.AlreadyDenied, "This request was already answered", "denied earlier")]
    [InlineData(ConsentPageState.NotFound, "We can't find this request", "Nothing was shared")]
    [InlineData(ConsentPageState.MissingRequest, "This link is incomplete", "does not say which request")]
    [InlineData(ConsentPageState.SessionRequired, "Open the request in this browser first", "Nothing was decided")]
    [InlineData(ConsentPageState.Approved, "Access allowed", "You can close this window.")]
    [InlineData(ConsentPageState.Denied, "Access denied", "You can close this window.")]
    public void each_state_has_its_own_clear_page(ConsentPageState state, string heading, string text)
    {
        var page = Context.Render<ConsentOutcome>(p => p.Add(c => c.State, state).Add(c => c.AgentName, "Trip Planner"));

        Assert.Equal(heading, page.Find("h1").TextContent);
        Assert.Contains(text, page.Find(".gx-consent-outcome").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void the_agent_name_is_text_even_when_it_is_markup()
    {
        var page = Context.Render<ConsentOutcome>(p => p.Add(c => c.State, ConsentPageState.Denied).Add(c => c.AgentName, "<b>Evil</b>"));

        Assert.Empty(page.FindAll("b"));
        Assert.Contains("Nothing was shared with <b>Evil</b>.", page.Find(".gx-outcome-text").TextContent, StringComparison.Ordinal);
    }
}
