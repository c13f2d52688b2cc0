using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>An odd delegation pattern, detection from the console, the anomaly on screen, acknowledged with a note.</summary>
[Collection(AnomalyBrowserCollection.Name)]
public sealed class AnomaliesPageTests(AnomalyAppFixture app)
{
    [Fact]
    public async Task a_burst_of_delegations_is_detected_shown_with_its_severity_and_acknowledged()
    {
        // A root grant delegated eleven times within a minute: a cascade (more than 10 in an hour).
        var created = await app.Services.GetRequiredService<Grantex.Core.Developers.DeveloperService>().CreateAsync("Acme Travel", Grantex.Core.Developers.DeveloperMode.Sandbox);
        var developerId = created.Value!.Developer.Id;
        using (var api = new GrantexApi(app.BaseUrl, created.Value.ApiKey))
        {
            var planner = await api.CreateAgentAsync("Trip planner", "calendar:read");
            var booker = await api.CreateAgentAsync("Booker", "calendar:read");
            var (_, token) = await api.GrantAsync(planner, "alice", "calendar:read");
            for (var i = 0; i < 11; i++)
            {
                await api.DelegateAsync(token, booker, "calendar:read");
            }
        }

        await using var context = await app.NewContextAsync(new ViewportSize { Width = 1280, Height = 800 });
        var page = await context.NewPageAsync();
        await AddVirtualAuthenticatorAsync(context, page);
        await page.GotoAsync("/anomalies");
        Assert.EndsWith("/account/setup", page.Url);
        await FillSetupCodeAsync(page, app.DataDirectory);
        await page.GetByLabel("User name").FillAsync("ines");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create with a passkey" }).ClickAsync();
        await LeftAccountPagesAsync(page);
        await OpenAsync(page, $"/anomalies?dev={developerId}");

        await page.GetByTestId("run-detection").ClickAsync();
        var cascade = page.Locator("[data-testid=anomaly-table] tbody tr", new() { HasText = "Cascade delegation" });
        await Assertions.Expect(cascade).ToBeVisibleAsync();
        await Assertions.Expect(cascade.GetByTestId("severity")).ToHaveTextAsync("High");
        await Assertions.Expect(cascade.GetByTestId("agent-link")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/agents/ag_"));
        await Assertions.Expect(cascade.GetByTestId("grant-link").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/grants/grnt_"));
        await ShotAsync(page, "anomalies-1-detected");

        await cascade.GetByTestId("acknowledge").ClickAsync();
        await page.GetByLabel("Note (optional)").FillAsync("Load test of the booking flow");
        await ShotAsync(page, "anomalies-2-acknowledge-dialog");
        await page.GetByTestId("ack-confirm").ClickAsync();
        await Assertions.Expect(cascade).ToHaveCountAsync(0);

        await OpenAsync(page, $"/anomalies?dev={developerId}&status=acknowledged");
        var done = page.Locator("[data-testid=anomaly-table] tbody tr", new() { HasText = "Cascade delegation" });
        await Assertions.Expect(done).ToContainTextAsync("Acknowledged by console:ines");
        await Assertions.Expect(done).ToContainTextAsync("Load test of the booking flow");

        await page.SetViewportSizeAsync(390, 844);
        await OpenAsync(page, $"/anomalies?dev={developerId}&status=all");
        await Assertions.Expect(page.GetByTestId("anomaly-table")).ToBeVisibleAsync();
        await ShotAsync(page, "anomalies-3-phone");
    }
}

[CollectionDefinition(Name)]
public sealed class AnomalyBrowserCollection : ICollectionFixture<AnomalyAppFixture>
{
    public const string Name = "anomaly-browser";
}

/// <summary>A separate app instance (own port, SQLite file and Chromium) for the anomalies page test: it claims the first administrator.</summary>
public sealed class AnomalyAppFixture : BrowserAppFixture;
