using Grantex.Core.Developers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Grantex.Browser.Tests.Console.ConsoleBrowser;

namespace Grantex.Browser.Tests.Console;

/// <summary>
/// The Webhooks screen in a real browser: create (secret shown once), send a test event, watch the attempt appear
/// (the receiver's name does not resolve here, so the attempt fails and is kept pending for a retry), and the screen
/// at desktop and phone widths.
/// </summary>
[Collection(WebhookBrowserCollection.Name)]
public sealed class WebhookPageTests(WebhookAppFixture app)
{
    [Fact]
    public async Task an_administrator_creates_a_webhook_sends_a_test_event_and_sees_the_attempt()
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Travel", DeveloperMode.Sandbox);
        var developerId = created.Value!.Developer.Id;

        await using var context = await app.NewContextAsync(new ViewportSize { Width = 1280, Height = 800 });
        var page = await context.NewPageAsync();
        await AddVirtualAuthenticatorAsync(context, page);
        await page.GotoAsync("/webhooks");
        await FillSetupCodeAsync(page, app.DataDirectory);
        await page.GetByLabel("User name").FillAsync("olga");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create with a passkey" }).ClickAsync();
        await LeftAccountPagesAsync(page);
        await OpenAsync(page, $"/webhooks?dev={developerId}");
        await Assertions.Expect(page.GetByText("No webhooks for this developer")).ToBeVisibleAsync();

        await page.GetByTestId("create-webhook").ClickAsync();
        await page.GetByLabel("Receiver URL").FillAsync("https://hooks.acme-travel.invalid/grantex");
        await ShotAsync(page, "webhooks-1-create");
        await page.GetByTestId("webhook-save").ClickAsync();
        var secretDialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(secretDialog).ToContainTextAsync("This secret is shown once");
        Assert.Matches("[0-9a-f]{48}", await secretDialog.InnerTextAsync());
        await ShotAsync(page, "webhooks-2-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "I have stored the secret" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("webhook-table")).ToContainTextAsync("https://hooks.acme-travel.invalid/grantex");

        await page.GetByTestId("webhook-menu").ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Send test event" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("delivery-table")).ToContainTextAsync("webhook.test");
        var attempted = page.GetByTestId("delivery-table").GetByText("1 / 5");
        for (var i = 0; i < 200 && !await attempted.IsVisibleAsync(); i++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            await page.WaitForTimeoutAsync(250); // polling the server's deliverer through the page, bounded above
        }

        await Assertions.Expect(attempted).ToBeVisibleAsync();
        await page.GetByTestId("show-attempts").ClickAsync();
        await Assertions.Expect(page.GetByTestId("attempt-table")).ToContainTextAsync("no response");
        await ShotAsync(page, "webhooks-3-attempts-1280");

        // A phone: load the page afresh at that size (the navigation drawer starts closed), then open the attempts again.
        await page.SetViewportSizeAsync(390, 844);
        await OpenAsync(page, $"/webhooks?dev={developerId}");
        await page.GetByTestId("show-deliveries").ClickAsync();
        await page.GetByTestId("show-attempts").ClickAsync();
        await Assertions.Expect(page.GetByTestId("attempt-table")).ToContainTextAsync("no response");
        await ShotAsync(page, "webhooks-4-attempts-390");
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookBrowserCollection : ICollectionFixture<WebhookAppFixture>
{
    public const string Name = "webhook-browser";
}

/// <summary>A separate app instance (own port, SQLite file and Chromium) for the webhooks page test.</summary>
public sealed class WebhookAppFixture : BrowserAppFixture;
