using Bunit;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Principals;
using Grantex.Core.Common;
using Grantex.Core.Passkeys;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Grantex.Console.Tests.Console;

/// <summary>The principal detail's passkeys: how each was enrolled, and one-time enrolment links for administrators.</summary>
public sealed class PrincipalPasskeyPanelTests : ConsoleComponentTest
{
    private static readonly DateTime Start = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
    private int _added;

    [Fact]
    public async Task each_passkey_shows_how_it_was_enrolled_and_a_viewer_cannot_issue_a_link()
    {
        await SignInAsync("victor", ConsoleRoles.Viewer);
        var developer = (await World.CreateDeveloperAsync()).Id;
        await AddPasskeyAsync(developer, "alice", PasskeyEnrolment.DeveloperApi);
        await AddPasskeyAsync(developer, "alice", PasskeyEnrolment.EnrolmentLink);
        await AddPasskeyAsync(developer, "alice", PasskeyEnrolment.Sso);

        var panel = Context.Render<PrincipalPasskeyPanel>(p => p.Add(x => x.DeveloperId, developer).Add(x => x.PrincipalId, "alice").Add(x => x.CanManage, false));

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid=principal-passkey]").Count));
        var rows = panel.FindAll("[data-testid=principal-passkey]");
        Assert.Equal(["developer_api", "enrolment_link", "sso"], rows.Select(r => r.GetAttribute("data-enrolment")));
        Assert.Contains("Developer API", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Enrolment link", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("After an SSO sign-in", rows[2].TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid=principal-issue-link]"));
    }

    [Fact]
    public async Task an_administrator_issues_a_link_shown_once_in_a_dialog_and_the_issue_is_audited()
    {
        await SignInAsync("ada", ConsoleRoles.Administrator);
        var developer = (await World.CreateDeveloperAsync()).Id;
        var providers = Context.Render<ContainerFragment>(p => p.AddChildContent(b =>
        {
            b.OpenComponent<MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<MudDialogProvider>(1);
            b.CloseComponent();
            b.OpenComponent<MudSnackbarProvider>(2);
            b.CloseComponent();
        }));
        var panel = Context.Render<PrincipalPasskeyPanel>(p => p.Add(x => x.DeveloperId, developer).Add(x => x.PrincipalId, "bob").Add(x => x.CanManage, true));
        panel.WaitForElement("[data-testid=principal-passkeys-empty]");

        panel.Find("[data-testid=principal-issue-link]").Click();

        providers.WaitForAssertion(() => Assert.Contains("http://localhost/enrol#t=", providers.Markup, StringComparison.Ordinal));
        Assert.Contains("shown once", providers.Markup, StringComparison.Ordinal);
        panel.WaitForAssertion(() => Assert.Contains("open until", panel.Find("[data-testid=principal-link]").TextContent, StringComparison.Ordinal));
        var links = await World.Get<PasskeyEnrolmentLinks>().ListAsync(developer, "bob");
        var link = Assert.Single(links);
        Assert.Equal("console:ada", link.IssuedBy);
        var token = System.Text.RegularExpressions.Regex.Match(providers.Markup, "enrol#t=([A-Za-z0-9_-]+)").Groups[1].Value;
        Assert.Equal(link.TokenHash, Secrets.Sha256Hex(token));
    }

    private async Task AddPasskeyAsync(string developerId, string principalId, PasskeyEnrolment via)
    {
        await using var db = await World.Get<IDbContextFactory<GrantexDbContext>>().CreateDbContextAsync();
        var principal = db.Set<PasskeyPrincipal>().FirstOrDefault(p => p.DeveloperId == developerId && p.PrincipalId == principalId);
        if (principal is null)
        {
            principal = new PasskeyPrincipal { Id = Ids.New(Ids.PasskeyPrincipal), DeveloperId = developerId, PrincipalId = principalId, CreatedAt = Start };
            db.Add(principal);
        }

        db.Add(new PrincipalPasskey
        {
            Id = Ids.New(Ids.Passkey), PrincipalKey = principal.Id, DeveloperId = developerId, PrincipalId = principalId,
            CredentialId = Secrets.Random(16), PublicKey = [1, 2, 3], EnrolledVia = via, CreatedAt = Start.AddMinutes(++_added),
        });
        await db.SaveChangesAsync();
    }
}
