using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Anomalies;
using Grantex.Core.Anomalies;
using Grantex.Core.Common;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Grantex.Console.Tests.Console;

/// <summary>The anomalies screen: severity shown as colour, icon and word; links; role rules; acknowledge with a note; run detection.</summary>
public sealed class AnomalyPageTests : ConsoleComponentTest
{
    [Fact]
    public async Task a_viewer_sees_open_anomalies_with_severity_in_words_and_links_but_no_change_buttons()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, agent, grant) = await SeedAsync();
        await World.Get<AnomalyService>().DetectAsync(developer);
        Navigation.NavigateTo($"/anomalies?dev={developer}");

        var page = Context.Render<Anomalies>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=anomaly-table] tbody tr")));
        var row = page.Find("[data-testid=anomaly-table] tbody tr");
        Assert.Contains("New principal", Text(row), StringComparison.Ordinal);
        Assert.Equal("Low", Text(row.QuerySelector("[data-testid=severity]")!));
        Assert.NotNull(row.QuerySelector("[data-testid=severity] svg"));
        Assert.Equal($"/agents/{agent}", row.QuerySelector("[data-testid=agent-link]")!.GetAttribute("href"));
        Assert.Equal($"/grants/{grant}", row.QuerySelector("[data-testid=grant-link]")!.GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=acknowledge]"));
        Assert.Empty(page.FindAll("[data-testid=run-detection]"));
    }

    [Fact]
    public async Task an_administrator_runs_detection_and_acknowledges_with_a_note_which_leaves_the_open_list()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var (developer, _, _) = await SeedAsync();
        Navigation.NavigateTo($"/anomalies?dev={developer}");
        var providers = RenderProviders();
        var page = Context.Render<Anomalies>();
        page.WaitForAssertion(() => Assert.Contains("No open anomalies", page.Markup, StringComparison.Ordinal));

        page.Find("button[data-testid=run-detection]").Click();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=anomaly-table] tbody tr")));
        page.Find("button[data-testid=acknowledge]").Click();
        providers.WaitForElement("textarea[data-testid=ack-notes]").Change("Known customer");
        providers.Find("button[data-testid=ack-confirm]").Click();

        page.WaitForAssertion(() => Assert.Contains("No open anomalies", page.Markup, StringComparison.Ordinal));
        var (items, _) = await World.Get<AnomalyService>().ListAsync(developer, AnomalyFilter.None, null, 10);
        var stored = Assert.Single(items.Items);
        Assert.Equal(("Known customer", "console:ada"), (stored.Notes, stored.AcknowledgedBy));

        Navigation.NavigateTo($"/anomalies?dev={developer}&status=acknowledged");
        page.WaitForAssertion(() => Assert.Contains("Acknowledged by console:ada", Text(page.Find("[data-testid=acknowledged]")), StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_viewer_acknowledging_through_the_service_is_refused_and_nothing_changes()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, _, _) = await SeedAsync();
        var anomaly = Assert.Single((await World.Get<AnomalyService>().DetectAsync(developer)).Anomalies);
        var admin = Context.Services.GetRequiredService<AnomalyAdmin>();

        var refused = await admin.AcknowledgeAsync(anomaly, "sneaky");
        var detect = await admin.DetectAsync(developer);

        Assert.Equal(GxErrorKind.Forbidden, refused.Error!.Kind);
        Assert.Equal(GxErrorKind.Forbidden, detect.Error!.Kind);
        Assert.Null((await World.Get<AnomalyService>().GetAsync(developer, anomaly.Id))!.AcknowledgedAt);
    }

    [Fact]
    public async Task a_new_anomaly_appears_without_a_reload()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, _, _) = await SeedAsync();
        Navigation.NavigateTo($"/anomalies?dev={developer}");
        var page = Context.Render<Anomalies>();
        page.WaitForAssertion(() => Assert.Contains("No open anomalies", page.Markup, StringComparison.Ordinal));

        await World.Get<AnomalyService>().DetectAsync(developer);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=anomaly-table] tbody tr")));
    }

    private async Task<(string Developer, string Agent, string Grant)> SeedAsync()
    {
        var developer = (await World.CreateDeveloperAsync()).Id;
        var agent = await World.CreateAgentAsync(developer, "Planner");
        var grant = await World.AddGrantAsync(developer, agent.Id, "alice", null);
        return (developer, agent.Id, grant.Id);
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
