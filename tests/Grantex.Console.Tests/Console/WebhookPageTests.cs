using System.Text.RegularExpressions;
using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Webhooks;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Grantex.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Grantex.Console.Tests.Console;

/// <summary>The webhooks screen: list, deliveries with their attempts, create with the secret shown once, and role rules.</summary>
public sealed class WebhookPageTests : ConsoleComponentTest
{
    [Fact]
    public async Task a_viewer_sees_webhooks_and_each_attempt_of_a_delivery_but_no_change_buttons()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, webhook, delivery) = await SeedAsync();
        Navigation.NavigateTo($"/webhooks?dev={developer}");

        var page = Context.Render<Webhooks>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=webhook-table] tbody tr")));
        Assert.Contains("https://hooks.example.com/in", Text(page.Find("[data-testid=webhook-table]")), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=create-webhook]"));
        Assert.Empty(page.FindAll("[data-testid=webhook-menu]"));

        page.Find("[data-testid=show-deliveries]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=delivery-table] tbody tr")));
        Assert.Contains("webhook.test", Text(page.Find("[data-testid=delivery-table]")), StringComparison.Ordinal);
        Assert.Contains("2 / 5", Text(page.Find("[data-testid=delivery-table]")), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=redeliver]"));

        page.Find("[data-testid=show-attempts]").Click();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=attempt-table] tbody tr").Count));
        var attempts = page.FindAll("[data-testid=attempt-table] tbody tr").Select(Text).ToList();
        Assert.Contains("500", attempts[0], StringComparison.Ordinal);
        Assert.Contains("812 ms", attempts[0], StringComparison.Ordinal);
        Assert.Contains("HTTP 500", attempts[0], StringComparison.Ordinal);
        Assert.Contains("no response", attempts[1], StringComparison.Ordinal);
        Assert.Contains("Timed out after 10 s", attempts[1], StringComparison.Ordinal);
        Assert.Equal(delivery, (await World.Get<WebhookService>().ListDeliveriesAsync(developer, webhook, null, null, null)).Value!.Deliveries.Single().Id);
    }

    [Fact]
    public async Task an_administrator_creates_a_webhook_sees_the_secret_once_and_a_forbidden_url_stores_nothing()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var developer = (await World.CreateDeveloperAsync()).Id;
        var providers = RenderProviders();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;

        await providers.InvokeAsync(async () => reference = await dialogs.ShowAsync<WebhookCreateDialog>("Create a webhook", new DialogParameters<WebhookCreateDialog> { { d => d.DeveloperId, developer } }));
        providers.WaitForElement("input[data-testid=webhook-url]").Change("https://169.254.169.254/latest/meta-data/");
        providers.Find("button[data-testid=webhook-save]").Click();
        providers.WaitForAssertion(() => Assert.Contains("link-local", providers.Find("[data-testid=webhook-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(await World.Get<WebhookService>().ListAsync(developer));

        providers.Find("input[data-testid=webhook-url]").Change("https://hooks.example.com/grantex");
        providers.Find("button[data-testid=webhook-save]").Click();
        providers.WaitForAssertion(() => Assert.Empty(providers.FindAll("[data-testid=webhook-save]")));
        var result = await reference!.Result;
        var created = Assert.IsType<WebhookWithSecret>(result!.Data);
        var stored = Assert.Single(await World.Get<WebhookService>().ListAsync(developer));
        Assert.Equal(created.Webhook.Id, stored.Id);
        Assert.Equal(["grant.created", "grant.revoked", "token.revoked"], stored.Events);
        Assert.Matches("^[0-9a-f]{48}$", created.Secret);
    }

    [Fact]
    public async Task the_page_shows_a_created_webhooks_secret_once_in_a_dialog()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var (developer, webhook, _) = await SeedAsync();
        Navigation.NavigateTo($"/webhooks?dev={developer}");
        var providers = RenderProviders();
        var page = Context.Render<Webhooks>();
        page.WaitForElement("[data-testid=webhook-menu]");

        // Rotation from the page: confirm, then the new secret is displayed once.
        await page.InvokeAsync(() => page.FindComponent<MudMenu>().Instance.OpenMenuAsync(EventArgs.Empty));
        providers.WaitForAssertion(() => Assert.Contains("Rotate secret…", providers.Markup, StringComparison.Ordinal));
        providers.FindAll(".mud-menu-item").Single(e => e.TextContent.Contains("Rotate secret", StringComparison.Ordinal)).Click();
        providers.WaitForAssertion(() => Assert.Contains($"Rotate the signing secret of webhook {webhook}", providers.Markup, StringComparison.Ordinal));
        providers.FindAll("button").Single(b => b.TextContent.Trim() == "Rotate secret").Click();
        providers.WaitForAssertion(() => Assert.Contains("This secret is shown once", providers.Markup, StringComparison.Ordinal));
        Assert.Matches(new Regex("[0-9a-f]{48}"), providers.Markup);
    }

    [Fact]
    public async Task a_viewer_changing_webhooks_through_the_service_is_refused_and_nothing_changes()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, webhook, delivery) = await SeedAsync();
        var admin = Context.Services.GetRequiredService<WebhookAdmin>();

        var errors = new[]
        {
            (await admin.CreateAsync(developer, "https://example.com/x", ["grant.created"])).Error,
            (await admin.DeleteAsync(developer, webhook)).Error,
            (await admin.RotateSecretAsync(developer, webhook)).Error,
            (await admin.SendTestAsync(developer, webhook)).Error,
            (await admin.RedeliverAsync(developer, webhook, delivery)).Error,
        };

        Assert.All(errors, e => Assert.Equal(GxErrorKind.Forbidden, e!.Kind));
        Assert.Single(await World.Get<WebhookService>().ListAsync(developer));
        Assert.Single((await World.Get<WebhookService>().ListDeliveriesAsync(developer, webhook, null, null, null)).Value!.Deliveries);
    }

    private async Task<(string Developer, string Webhook, string Delivery)> SeedAsync()
    {
        var developer = (await World.CreateDeveloperAsync()).Id;
        var service = World.Get<WebhookService>();
        var webhook = (await service.CreateAsync(developer, "https://hooks.example.com/in", ["grant.created"], "test")).Value!.Webhook.Id;
        var delivery = (await service.SendTestAsync(developer, webhook, "test")).Value!;
        await using var db = await World.Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        db.WebhookAttempts.Add(new WebhookAttempt { DeliveryId = delivery.Id, Number = 1, At = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc), HttpStatus = 500, LatencyMs = 812, Error = "HTTP 500" });
        db.WebhookAttempts.Add(new WebhookAttempt { DeliveryId = delivery.Id, Number = 2, At = new DateTime(2026, 3, 1, 12, 0, 30, DateTimeKind.Utc), LatencyMs = 10000, Error = "Timed out after 10 s" });
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, 2).SetProperty(d => d.NextAttemptAt, new DateTime(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        await db.SaveChangesAsync();
        return (developer, webhook, delivery.Id);
    }

    private IRenderedComponent<ContainerFragment> RenderProviders() => Context.Render<ContainerFragment>(p => p.AddChildContent(b =>
    {
        b.OpenComponent<MudPopoverProvider>(0);
        b.CloseComponent();
        b.OpenComponent<MudDialogProvider>(1);
        b.CloseComponent();
        b.OpenComponent<MudSnackbarProvider>(2);
        b.CloseComponent();
    }));
}
