using Bunit;
using Grantex.Console.Components.Consent;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Testing;

namespace Grantex.Console.Tests.Consent;

public sealed class ConsentRequestCardTests : ComponentTest
{
    private IRenderedComponent<ConsentRequestCard> Render(ConsentView view, bool hasPasskey = false) =>
        Context.Render<ConsentRequestCard>(p => p.Add(c => c.View, view).Add(c => c.Now, ConsentTestData.Now).Add(c => c.HasPasskey, hasPasskey));

    [Fact]
    public void it_shows_who_asks_what_for_how_long_for_whom_and_where_the_person_goes_next()
    {
        var card = Render(ConsentTestData.View());

        Assert.Equal("Trip Planner wants access to your account", card.Find("h1").TextContent.Trim());
        Assert.Equal("Books trains and hotels for your trips.", card.Find(".gx-agent-description").TextContent.Trim());
        Assert.Equal("Acme Corp", card.Find(".gx-developer-name").TextContent);
        Assert.Equal("did:grantex:ag_01TEST", card.Find(".gx-agent-did").TextContent);
        Assert.Equal("alice@example.com", card.Find(".gx-principal").TextContent);
        Assert.Equal(["calendar:read", "email:send"], card.FindAll("li.gx-scope").Select(li => li.GetAttribute("data-scope")).Order());

        var lifetime = card.Find(".gx-lifetime");
        Assert.Contains("1 day", lifetime.TextContent, StringComparison.Ordinal);
        Assert.Contains("Monday, 23 November 2026 at 20:00 UTC", lifetime.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-11-23T20:00:00.000Z", card.Find(".gx-lifetime time").GetAttribute("datetime"));

        Assert.Contains("https://api.example.com", card.Find(".gx-audience").TextContent, StringComparison.Ordinal);
        Assert.Equal("app.example.com", card.Find(".gx-redirect-host").TextContent);
        Assert.Equal("https://app.example.com/callback", card.Find(".gx-redirect-uri").TextContent);
        Assert.Empty(card.FindAll(".gx-presence-note"));
    }

    [Fact]
    public void without_audience_or_redirect_uri_it_says_the_window_can_be_closed()
    {
        var card = Render(ConsentTestData.View(audience: null, redirectUri: null, lifetimeSeconds: 2 * 3600 + 1800));

        Assert.Empty(card.FindAll(".gx-audience"));
        Assert.Empty(card.FindAll(".gx-redirect-host"));
        Assert.Contains("you can close this window", card.Find(".gx-redirect").TextContent, StringComparison.Ordinal);
        Assert.Contains("2 hours and 30 minutes", card.Find(".gx-lifetime").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void an_international_redirect_host_is_shown_in_its_punycode_form_with_a_non_default_port()
    {
        var card = Render(ConsentTestData.View(redirectUri: "https://p\u0430ypal.com:8443/cb"));

        Assert.Equal("xn--pypal-4ve.com:8443", card.Find(".gx-redirect-host").TextContent);
    }

    [Fact]
    public void a_plain_http_redirect_to_another_machine_is_flagged()
    {
        var card = Render(ConsentTestData.View(redirectUri: "http://app.example.com/cb"));

        Assert.Contains("does not use an encrypted", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void agent_and_developer_markup_renders_as_text_never_as_elements()
    {
        var card = Render(ConsentTestData.View(
            agentName: "<script>alert('agent')</script>",
            agentDescription: "<img src=x onerror=alert(1)><b>bold</b>",
            developerName: "<iframe src=\"https://evil.example\"></iframe>",
            scopes: ["<svg onload=alert(1)>"]));

        Assert.Empty(card.FindAll("script"));
        Assert.Empty(card.FindAll("img"));
        Assert.Empty(card.FindAll("b"));
        Assert.Empty(card.FindAll("iframe"));
        Assert.Empty(card.FindAll("svg[onload]"));
        Assert.Equal("<script>alert('agent')</script>", card.Find(".gx-agent-name").TextContent);
        Assert.Equal("<img src=x onerror=alert(1)><b>bold</b>", card.Find(".gx-agent-description").TextContent.Trim());
        Assert.Equal("<iframe src=\"https://evil.example\"></iframe>", card.Find(".gx-developer-name").TextContent);
        Assert.Contains("&lt;script&gt;", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void a_look_alike_agent_name_is_flagged_with_the_name_it_imitates()
    {
        var card = Render(ConsentTestData.View(agentName: "P\u0430yPal Assistant"));

        var warning = card.Find(".gx-text-warning");
        Assert.Contains("The agent's name", warning.TextContent, StringComparison.Ordinal);
        Assert.Contains("\u201CPayPal Assistant\u201D", warning.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void direction_overrides_and_invisible_characters_are_removed_from_the_developer_name_and_flagged()
    {
        var card = Render(ConsentTestData.View(developerName: "Acme\u200B \u202ECorp"));

        Assert.Equal("Acme Corp", card.Find(".gx-developer-name").TextContent);
        var warning = card.Find(".gx-text-warning").TextContent;
        Assert.Contains("The developer's name", warning, StringComparison.Ordinal);
        Assert.Contains("reverse the direction", warning, StringComparison.Ordinal);
        Assert.Contains("invisible", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void a_very_long_agent_name_is_shortened_and_says_so()
    {
        var card = Render(ConsentTestData.View(agentName: string.Concat(Enumerable.Repeat("Very Long Name ", 40))));

        Assert.True(card.Find(".gx-agent-name").TextContent.Length <= 81);
        Assert.Contains("Shortened", card.Find(".gx-text-warning").TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, "first create a passkey")]
    [InlineData(true, "confirm with your passkey")]
    public void when_presence_is_required_it_says_a_passkey_will_be_asked_for(bool hasPasskey, string expected)
    {
        var card = Render(ConsentTestData.View(presence: PresenceRequirement.Always), hasPasskey);

        Assert.Contains(expected, card.Find(".gx-presence-note").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void high_risk_presence_setting_asks_only_when_a_high_risk_scope_is_requested()
    {
        var low = Render(ConsentTestData.View(scopes: ["calendar:read"], presence: PresenceRequirement.HighRiskScopes));
        Assert.Empty(low.FindAll(".gx-presence-note"));

        var high = Render(ConsentTestData.View(scopes: ["calendar:read", "files:delete"], presence: PresenceRequirement.HighRiskScopes));
        Assert.Single(high.FindAll(".gx-presence-note"));
    }
}
