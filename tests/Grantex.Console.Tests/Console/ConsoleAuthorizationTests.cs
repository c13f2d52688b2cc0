using System.Security.Claims;
using Grantex.Console.Components.Account;
using Grantex.Console.Components.Pages.Agents;
using Grantex.Console.Components.Pages.Audit;
using Grantex.Console.Components.Pages.Developers;
using Grantex.Console.Components.Pages.Grants;
using Grantex.Console.Components.Pages.Keys;
using Grantex.Console.Components.Pages.Overview;
using Grantex.Console.Components.Pages.Users;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Keys;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Grantex.Console.Tests.Console;

/// <summary>
/// Every console action checks the role on the server, in the Admin services the pages call: whatever a page shows, a
/// viewer or compliance officer invoking a change is refused, nothing changes, and the refusal is audited.
/// </summary>
public sealed class ConsoleAuthorizationTests : IAsyncLifetime
{
    private readonly string _directory = ConsoleWorld.NewDirectory();
    private ServiceProvider _provider = default!;
    private ConsoleWorld _world = default!;
    private Claim[] _admin = [];
    private Claim[] _officer = [];
    private Claim[] _viewer = [];
    private DeveloperInfo _developer = default!;
    private SeededTree _tree = default!;

    public static TheoryData<string, string> RefusedChanges()
    {
        var data = new TheoryData<string, string>();
        foreach (var role in new[] { ConsoleRoles.Viewer, ConsoleRoles.ComplianceOfficer })
        {
            foreach (var action in Changes.Keys)
            {
                data.Add(role, action);
            }
        }

        return data;
    }

    public async Task InitializeAsync()
    {
        var services = new ServiceCollection();
        ConsoleWorld.Register(services, _directory);
        services.AddMudServices();
        services.AddScoped<AuthenticationStateProvider, TestAuthenticationState>();
        _provider = services.BuildServiceProvider();
        _world = await ConsoleWorld.StartAsync(_provider, _directory);
        _admin = await _world.CreateUserAsync("ada", ConsoleRoles.Administrator);
        _officer = await _world.CreateUserAsync("carol", ConsoleRoles.ComplianceOfficer);
        _viewer = await _world.CreateUserAsync("victor", ConsoleRoles.Viewer);
        _developer = await _world.CreateDeveloperAsync();
        _tree = await _world.CreateTreeAsync(_developer.Id);
    }

    [Theory]
    [MemberData(nameof(RefusedChanges))]
    public async Task a_change_by_someone_who_is_not_an_administrator_is_refused_and_changes_nothing(string role, string action)
    {
        var before = await SnapshotAsync();
        var error = await Changes[action](this, As(role == ConsoleRoles.Viewer ? _viewer : _officer));

        Assert.NotNull(error);
        Assert.Equal(GxErrorKind.Forbidden, error.Kind);
        Assert.Contains(role == ConsoleRoles.Viewer ? "Viewer" : "Compliance officer", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync());
        var refusal = (await _world.Get<AuditService>().ListAcrossAsync(AuditChains.Console, new AuditFilter(Action: "console.action_refused"), null, 1)).Items.Single();
        Assert.Equal(AuditDraft.Blocked, refusal.Status);
        Assert.Equal("console:" + (role == ConsoleRoles.Viewer ? "victor" : "carol"), refusal.Actor);
    }

    [Fact]
    public async Task a_viewer_invoking_the_revoke_handler_is_refused_and_the_whole_tree_stays_active()
    {
        var grants = As(_viewer).GetRequiredService<GrantAdmin>();

        var result = await grants.RevokeAsync(new RevocationTarget(RevocationScope.Grant, _developer.Id, _tree.Root.Id));

        Assert.False(result.IsSuccess);
        Assert.Equal(GxErrorKind.Forbidden, result.Error.Kind);
        foreach (var grant in _tree.All)
        {
            Assert.Equal(GrantStatus.Active, await _world.StatusAsync(grant.Id));
        }
    }

    [Fact]
    public async Task an_administrator_revokes_a_tree_with_the_count_and_the_audit_entry_names_them()
    {
        var grants = As(_admin).GetRequiredService<GrantAdmin>();
        var preview = await grants.PreviewAsync(new RevocationTarget(RevocationScope.Grant, _developer.Id, _tree.Root.Id));

        var result = await grants.RevokeAsync(new RevocationTarget(RevocationScope.Grant, _developer.Id, _tree.Root.Id));

        Assert.Equal(4, preview.Value!.Grants.Count);
        Assert.Equal(4, preview.Value.Tokens.Count);
        Assert.Equal(4, preview.Value.RefreshTokens);
        Assert.Equal(4, result.Value);
        var root = await _world.Get<GrantService>().FindAsync(_tree.Root.Id);
        Assert.Equal("console:ada", root!.RevokedBy);
        var entry = (await _world.Get<AuditService>().ListAcrossAsync(_developer.Id, new AuditFilter(Action: "grant.revoked"), null, 5)).Items.Single();
        Assert.Equal("console:ada", entry.Actor);
        Assert.Equal(_tree.Root.Id, entry.GrantId);
    }

    [Fact]
    public async Task revoking_a_principal_cuts_off_every_grant_they_gave_and_reports_the_count()
    {
        var other = await _world.CreateTreeAsync(_developer.Id, "bob");
        var grants = As(_admin).GetRequiredService<GrantAdmin>();

        var result = await grants.RevokeAsync(new RevocationTarget(RevocationScope.Principal, _developer.Id, "alice"));

        Assert.Equal(4, result.Value);
        Assert.Equal(GrantStatus.Active, await _world.StatusAsync(other.Root.Id));
        Assert.Equal(GrantStatus.Revoked, await _world.StatusAsync(_tree.Second.Id));
    }

    [Fact]
    public async Task revoking_an_agent_takes_its_grants_and_everything_delegated_from_them()
    {
        var grants = As(_admin).GetRequiredService<GrantAdmin>();

        var preview = await grants.PreviewAsync(new RevocationTarget(RevocationScope.Agent, _developer.Id, _tree.Booker.Id));
        var result = await grants.RevokeAsync(new RevocationTarget(RevocationScope.Agent, _developer.Id, _tree.Booker.Id));

        Assert.Equal([_tree.Child.Id, _tree.Grandchild.Id], preview.Value!.Grants.Select(g => g.Id));
        Assert.Equal(2, result.Value);
        Assert.Equal(GrantStatus.Active, await _world.StatusAsync(_tree.Root.Id));
        Assert.Equal(GrantStatus.Revoked, await _world.StatusAsync(_tree.Grandchild.Id));
    }

    [Fact]
    public async Task chain_verification_is_for_compliance_officers_and_administrators_not_viewers()
    {
        var byViewer = await As(_viewer).GetRequiredService<AuditAdmin>().VerifyAsync(_developer.Id);
        var byOfficer = await As(_officer).GetRequiredService<AuditAdmin>().VerifyAsync(_developer.Id);

        Assert.Equal(GxErrorKind.Forbidden, byViewer.Error!.Kind);
        Assert.True(byOfficer.Value!.Single().Verification.Valid);
        Assert.Equal(8, byOfficer.Value!.Single().Verification.CheckedEntries); // developer, three agents, four grants
    }

    [Fact]
    public async Task everyone_with_a_role_can_read_everything()
    {
        foreach (var claims in new[] { _viewer, _officer, _admin })
        {
            var scope = As(claims);
            Assert.Equal(4, (await scope.GetRequiredService<GrantAdmin>().ListAsync(new GrantQuery(null, new GrantFilter()))).Value!.Items.Count);
            Assert.Equal(4, (await scope.GetRequiredService<GrantAdmin>().GetTreeAsync(_tree.Grandchild.Id)).Value!.Count);
            Assert.Equal(3, (await scope.GetRequiredService<AgentAdmin>().ListAsync(null, null, null, 25)).Value!.Items.Count);
            Assert.True((await scope.GetRequiredService<AuditAdmin>().ListAsync(new AuditQuery(null, new AuditFilter()))).IsSuccess);
            Assert.True((await scope.GetRequiredService<KeyAdmin>().ListAsync()).IsSuccess);
            Assert.True((await scope.GetRequiredService<OverviewAdmin>().GetAsync(null)).IsSuccess);
        }
    }

    [Fact]
    public async Task nobody_signed_in_gets_nothing_not_even_a_read()
    {
        var result = await As([]).GetRequiredService<GrantAdmin>().ListAsync(new GrantQuery(null, new GrantFilter()));

        Assert.Equal(GxErrorKind.Unauthorized, result.Error!.Kind);
    }

    [Fact]
    public async Task an_account_without_a_console_role_reads_nothing()
    {
        var claims = await _world.CreateUserAsync("nora", null);

        var result = await As(claims).GetRequiredService<GrantAdmin>().ListAsync(new GrantQuery(null, new GrantFilter()));

        Assert.Equal(GxErrorKind.Forbidden, result.Error!.Kind);
    }

    [Fact]
    public async Task an_administrator_demoted_while_the_console_is_open_is_refused_at_the_next_action()
    {
        var second = await _world.CreateUserAsync("bea", ConsoleRoles.Administrator);
        var session = As(second);
        var id = second.First(c => c.Type == ClaimTypes.NameIdentifier).Value;
        Assert.True((await As(_admin).GetRequiredService<UserAdmin>().SetRoleAsync(id, ConsoleRoles.Viewer)).IsSuccess);

        var result = await session.GetRequiredService<GrantAdmin>().RevokeAsync(new RevocationTarget(RevocationScope.Grant, _developer.Id, _tree.Root.Id));

        Assert.False(result.IsSuccess);
        Assert.Equal(GrantStatus.Active, await _world.StatusAsync(_tree.Root.Id));
    }

    [Fact]
    public async Task the_last_administrator_cannot_be_demoted_locked_or_deleted()
    {
        var users = As(_admin).GetRequiredService<UserAdmin>();
        var id = _admin.First(c => c.Type == ClaimTypes.NameIdentifier).Value;

        Assert.Contains("last administrator", (await users.SetRoleAsync(id, ConsoleRoles.Viewer)).Error!.Message, StringComparison.Ordinal);
        Assert.False((await users.LockAsync(id)).IsSuccess);
        Assert.False((await users.DeleteAsync(id)).IsSuccess);
        Assert.True((await As(_admin).GetRequiredService<GrantAdmin>().ListAsync(new GrantQuery(null, new GrantFilter()))).IsSuccess);
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        await _provider.DisposeAsync();
    }

    /// <summary>A fresh scope (a circuit) signed in with <paramref name="claims"/>.</summary>
    private IServiceProvider As(Claim[] claims)
    {
        var scope = _provider.CreateScope();
        var state = (TestAuthenticationState)scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        if (claims.Length > 0)
        {
            state.SignIn(claims);
        }

        return scope.ServiceProvider;
    }

    /// <summary>Everything a console change could touch, as comparable text.</summary>
    private async Task<string> SnapshotAsync()
    {
        var grants = await _world.Get<GrantService>().ListAcrossAsync(null, new GrantFilter(), null, 500);
        var agents = await _world.Get<AgentService>().ListAcrossAsync(null, null, null, 500);
        var developers = await _world.Get<DeveloperService>().ListAsync();
        var keys = await _world.Get<DeveloperService>().ListKeysAsync(_developer.Id);
        var signing = await _world.Get<SigningKeyStore>().ListAsync();
        var users = await As(_admin).GetRequiredService<UserAdmin>().ListAsync();
        return string.Join("\n",
            string.Join(",", grants.Value!.Items.Select(g => $"{g.Id}:{g.Status}")),
            string.Join(",", agents.Items.Select(a => $"{a.Id}:{a.Status}:{a.Name}:{a.Version}")),
            string.Join(",", developers.Select(d => $"{d.Id}:{d.PresenceRequirement}")),
            string.Join(",", keys.Select(k => $"{k.Id}:{k.ExpiresAt}")),
            string.Join(",", signing.Select(k => $"{k.Id}:{k.Status}")),
            string.Join(",", users.Value!.Select(u => $"{u.UserName}:{u.Role}:{u.LockedOutUntil}")));
    }

    private static readonly Dictionary<string, Func<ConsoleAuthorizationTests, IServiceProvider, Task<GxError?>>> Changes = new()
    {
        ["revoke a grant"] = async (t, s) => (await s.GetRequiredService<GrantAdmin>().RevokeAsync(new RevocationTarget(RevocationScope.Grant, t._developer.Id, t._tree.Root.Id))).Error,
        ["revoke an agent's grants"] = async (t, s) => (await s.GetRequiredService<GrantAdmin>().RevokeAsync(new RevocationTarget(RevocationScope.Agent, t._developer.Id, t._tree.Planner.Id))).Error,
        ["revoke a principal's grants"] = async (t, s) => (await s.GetRequiredService<GrantAdmin>().RevokeAsync(new RevocationTarget(RevocationScope.Principal, t._developer.Id, "alice"))).Error,
        ["create an agent"] = async (t, s) => (await s.GetRequiredService<AgentAdmin>().CreateAsync(t._developer.Id, new AgentInput("Sneaky", "", null, null))).Error,
        ["edit an agent"] = async (t, s) => (await s.GetRequiredService<AgentAdmin>().UpdateAsync(t._tree.Planner.Id, new AgentInput("Renamed", null, null, null))).Error,
        ["suspend an agent"] = async (t, s) => (await s.GetRequiredService<AgentAdmin>().UpdateAsync(t._tree.Planner.Id, new AgentInput(null, null, null, null, AgentStatus.Suspended))).Error,
        ["delete an agent"] = async (t, s) => (await s.GetRequiredService<AgentAdmin>().DeleteAsync(t._tree.Planner.Id)).Error,
        ["create a developer"] = async (t, s) => (await s.GetRequiredService<DeveloperAdmin>().CreateAsync("Sneaky", DeveloperMode.Live, null)).Error,
        ["rotate an API key"] = async (t, s) => (await s.GetRequiredService<DeveloperAdmin>().RotateKeyAsync(t._developer.Id, TimeSpan.Zero)).Error,
        ["change the passkey requirement"] = async (t, s) => (await s.GetRequiredService<DeveloperAdmin>().SetPresenceRequirementAsync(t._developer.Id, PresenceRequirement.Always)).Error,
        ["rotate the signing key"] = async (t, s) => (await s.GetRequiredService<KeyAdmin>().RotateAsync()).Error,
        ["create a console account"] = async (t, s) => (await s.GetRequiredService<UserAdmin>().CreateAsync("mallory", null, ConsoleWorld.Password, ConsoleRoles.Administrator)).Error,
        ["promote an account"] = async (t, s) => (await s.GetRequiredService<UserAdmin>().SetRoleAsync(t._viewer.First(c => c.Type == ClaimTypes.NameIdentifier).Value, ConsoleRoles.Administrator)).Error,
        ["lock an account"] = async (t, s) => (await s.GetRequiredService<UserAdmin>().LockAsync(t._admin.First(c => c.Type == ClaimTypes.NameIdentifier).Value)).Error,
        ["delete an account"] = async (t, s) => (await s.GetRequiredService<UserAdmin>().DeleteAsync(t._officer.First(c => c.Type == ClaimTypes.NameIdentifier).Value)).Error,
    };
}
