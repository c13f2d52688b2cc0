using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Policies;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Persistence;
using Grantex.Core.Policies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Grantex.Console.Tests.Console;

/// <summary>The policies screen: the list in evaluation order, the dry run, the editor's validation, and role rules.</summary>
public sealed class PolicyPageTests : ConsoleComponentTest
{
    [Fact]
    public async Task a_viewer_sees_the_policies_in_evaluation_order_and_no_change_buttons()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, _, allow, deny) = await SeedAsync();
        Navigation.NavigateTo($"/policies?dev={developer}");

        var page = Context.Render<Policies>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=policy-table] tbody tr").Count));
        var rows = page.FindAll("[data-testid=policy-table] tbody tr");
        Assert.Contains(allow.Name, Text(rows[0]), StringComparison.Ordinal);
        Assert.Contains(deny.Name, Text(rows[1]), StringComparison.Ordinal);
        Assert.Contains("22:00–06:00 Europe/Paris", Text(rows[1]), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=create-policy]"));
        Assert.Empty(page.FindAll("button[aria-label^='Actions for']"));
    }

    [Fact]
    public async Task without_a_developer_the_screen_says_to_choose_one()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);

        var page = Context.Render<Policies>();

        page.WaitForAssertion(() => Assert.Contains("Choose a developer", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=policy-table]"));
    }

    [Fact]
    public async Task the_dry_run_shows_which_policy_decides_and_why()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, _, _, deny) = await SeedAsync();
        Navigation.NavigateTo($"/policies?dev={developer}");
        var page = Context.Render<Policies>();
        page.WaitForElement("input[data-testid=dry-principal]");

        page.Find("input[data-testid=dry-principal]").Change("alice");
        page.Find("input[data-testid=dry-scopes]").Change("write");
        // 22:30 UTC in January is 23:30 in Paris: inside the deny window, which beats the higher-priority allow.
        page.Find("input[data-testid=dry-time]").Change("2026-01-15T22:30:00Z");
        page.Find("button[data-testid=dry-run]").Click();

        page.WaitForAssertion(() => Assert.Contains("Denied (403 POLICY_DENIED)", Text(page.Find("[data-testid=dry-result]")), StringComparison.Ordinal));
        var result = Text(page.Find("[data-testid=dry-result]"));
        Assert.Contains(deny.Id, result, StringComparison.Ordinal);
        Assert.Contains("deny rules are evaluated before allow rules", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_editor_shows_the_servers_reason_and_stores_nothing_for_a_bad_window()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var developer = (await World.CreateDeveloperAsync()).Id;
        var providers = RenderProviders();
        var dialogs = Context.Services.GetRequiredService<IDialogService>();

        await providers.InvokeAsync(() => dialogs.ShowAsync<PolicyEditDialog>("Create a policy", new DialogParameters<PolicyEditDialog> { { d => d.DeveloperId, developer } }));
        providers.WaitForElement("input[data-testid=policy-name]").Change("Nights");
        providers.Find("input[data-testid=policy-start]").Change("22:00");
        providers.Find("input[data-testid=policy-zone]").Change("Europe/Paris");
        providers.Find("button[data-testid=policy-save]").Click();

        providers.WaitForAssertion(() => Assert.Contains("timeOfDayEnd", providers.Find("[data-testid=policy-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(await World.Get<PolicyService>().ListAsync(developer));

        providers.Find("input[data-testid=policy-end]").Change("06:00");
        providers.Find("button[data-testid=policy-save]").Click();

        providers.WaitForAssertion(() => Assert.Empty(providers.FindAll("[data-testid=policy-save]")));
        var stored = Assert.Single(await World.Get<PolicyService>().ListAsync(developer));
        Assert.Equal(("22:00", "06:00", "Europe/Paris", PolicyEffect.Deny), (stored.TimeOfDayStart, stored.TimeOfDayEnd, stored.TimeZone, stored.Effect));
    }

    [Fact]
    public async Task a_viewer_changing_a_policy_through_the_service_is_refused_audited_and_nothing_changes()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var (developer, _, allow, _) = await SeedAsync();
        var admin = Context.Services.GetRequiredService<PolicyAdmin>();

        var created = await admin.CreateAsync(developer, new PolicyInput { Name = "sneaky", Effect = "allow" });
        var updated = await admin.UpdateAsync(developer, allow.Id, new PolicyInput { Effect = "deny" });
        var deleted = await admin.DeleteAsync(developer, allow.Id);

        foreach (var error in new[] { created.Error, updated.Error, deleted.Error })
        {
            Assert.NotNull(error);
            Assert.Equal(GxErrorKind.Forbidden, error.Kind);
            Assert.Contains("Your role (Viewer) may not", error.Message, StringComparison.Ordinal);
        }

        var policies = await World.Get<PolicyService>().ListAsync(developer);
        Assert.Equal(2, policies.Count);
        Assert.Equal(PolicyEffect.Allow, policies.Single(p => p.Id == allow.Id).Effect);
        await using var db = await World.Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var refusals = await db.AuditEntries.Where(e => e.DeveloperId == AuditChains.Console && e.Action == AuditActions.ConsoleActionRefused.Name).Select(e => e.MetadataJson).ToListAsync();
        Assert.Contains(refusals, m => m.Contains("create policies", StringComparison.Ordinal));
        Assert.Contains(refusals, m => m.Contains("edit policies", StringComparison.Ordinal));
        Assert.Contains(refusals, m => m.Contains("delete policies", StringComparison.Ordinal));
    }

    [Fact]
    public async Task an_administrator_changes_a_policy_and_the_change_is_audited_as_the_operator()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var (developer, _, allow, _) = await SeedAsync();
        var admin = Context.Services.GetRequiredService<PolicyAdmin>();

        var updated = await admin.UpdateAsync(developer, allow.Id, new PolicyInput { Priority = 42, ExpectedVersion = allow.Version });
        var stale = await admin.UpdateAsync(developer, allow.Id, new PolicyInput { Priority = 43, ExpectedVersion = allow.Version });

        Assert.True(updated.IsSuccess);
        Assert.Equal(42, updated.Value.Priority);
        Assert.Equal(GxErrorKind.Conflict, stale.Error!.Kind);
        await using var db = await World.Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.DeveloperId == developer && e.Action == AuditActions.PolicyUpdated.Name);
        Assert.Equal("console:ada", entry.Actor);
    }

    private async Task<(string Developer, string Agent, Policy Allow, Policy Deny)> SeedAsync()
    {
        var developer = (await World.CreateDeveloperAsync()).Id;
        var agent = await World.CreateAgentAsync(developer, "Planner");
        var policies = World.Get<PolicyService>();
        var allow = (await policies.CreateAsync(developer, new PolicyInput { Name = "Allow everything", Effect = "allow", Priority = 100 }, "test")).Value!;
        var deny = (await policies.CreateAsync(developer, new PolicyInput
        {
            Name = "No night writes",
            Effect = "deny",
            Priority = 1,
            Scopes = Settable<IReadOnlyList<string?>>.To(["write"]),
            TimeOfDayStart = Settable<string>.To("22:00"),
            TimeOfDayEnd = Settable<string>.To("06:00"),
            TimeZone = Settable<string>.To("Europe/Paris"),
        }, "test")).Value!;
        return (developer, agent.Id, allow, deny);
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
