using System.Security.Claims;
using Grantex.Console.Components.Account;
using Grantex.Console.Infrastructure;
using Grantex.Core;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Grantex.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grantex.Console.Tests.Console;

/// <summary>
/// The real Core and console services on a real SQLite file in a temporary folder (no fakes of the rules under test):
/// registration into any service collection (a bUnit context's or a plain one), start-up (migrations, keys, the
/// writer), and seeding of developers, agents, delegation trees and console accounts.
/// </summary>
internal sealed class ConsoleWorld(IServiceProvider services, string directory) : IAsyncDisposable
{
    public const string Password = "a long enough password";

    public IServiceProvider Services { get; } = services;

    public string ConnectionString => $"Data Source={TestSettings.DatabasePath(directory)}";

    public static string NewDirectory() => TestSettings.NewDirectory("grantex-console-");

    /// <summary>Core and console services with <see cref="TestSettings"/> (MudBlazor's and the clock come from the caller).</summary>
    public static void Register(IServiceCollection services, string directory)
    {
        var configuration = TestSettings.Configuration(directory, "http://localhost");
        services.AddSingleton(configuration);
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddGrantexCore(configuration);
        services.AddGrantexConsole(configuration);
    }

    /// <summary>Migrates the database, loads the keys and starts the single writer.</summary>
    public static async Task<ConsoleWorld> StartAsync(IServiceProvider services, string directory)
    {
        await services.InitializeGrantexAsync();
        await services.GetRequiredService<WriteQueue>().StartAsync(CancellationToken.None);
        return new ConsoleWorld(services, directory);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A console account with one role; returns the claims a signed-in session of it carries.</summary>
    public async Task<Claim[]> CreateUserAsync(string userName, string? role)
    {
        await using var scope = Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ConsoleAccounts>();
        var (user, error) = await accounts.CreateAsync(userName, null, Password, role ?? ConsoleRoles.Viewer);
        Assert.True(user is not null, error);
        if (role is null)
        {
            await accounts.SetRoleAsync(user, null);
        }

        return await ClaimsAsync(user.Id);
    }

    /// <summary>The claims of a fresh session of the account (after role changes, the stamp is new).</summary>
    public async Task<Claim[]> ClaimsAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GrantexUser>>();
        var user = await users.FindByIdAsync(userId);
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<GrantexUser>>().CreateAsync(user!);
        return [.. principal.Claims];
    }

    public async Task<DeveloperInfo> CreateDeveloperAsync(string name = "Acme")
    {
        var created = await Get<DeveloperService>().CreateAsync(name, DeveloperMode.Sandbox);
        return created.Value!.Developer;
    }

    public async Task<Agent> CreateAgentAsync(string developerId, string name)
    {
        var result = await Get<AgentService>().CreateAsync(developerId, new AgentInput(name, "test agent", ["calendar:read"], null), "test");
        return result.Value!;
    }

    /// <summary>
    /// root (planner) → child (booker) → grandchild (mailer), and root → second child (mailer): four active grants of
    /// principal alice, each with one unexpired grant token and one refresh token, each with its audit entry.
    /// </summary>
    public async Task<SeededTree> CreateTreeAsync(string developerId, string principal = "alice")
    {
        var planner = await CreateAgentAsync(developerId, "Planner");
        var booker = await CreateAgentAsync(developerId, "Booker");
        var mailer = await CreateAgentAsync(developerId, "Mailer");
        var root = await AddGrantAsync(developerId, planner.Id, principal, null);
        var child = await AddGrantAsync(developerId, booker.Id, principal, root);
        var grandchild = await AddGrantAsync(developerId, mailer.Id, principal, child);
        var second = await AddGrantAsync(developerId, mailer.Id, principal, root);
        return new SeededTree(planner, booker, mailer, root, child, grandchild, second);
    }

    public async Task<Grant> AddGrantAsync(string developerId, string agentId, string principal, Grant? parent)
    {
        var now = Get<TimeProvider>().UtcNowMillis();
        var id = Ids.New(Ids.Grant);
        var grant = new Grant
        {
            Id = id,
            DeveloperId = developerId,
            AgentId = agentId,
            PrincipalId = principal,
            Scopes = ["calendar:read"],
            Status = GrantStatus.Active,
            IssuedAt = now,
            ExpiresAt = now.AddHours(1),
            ParentGrantId = parent?.Id,
            RootGrantId = parent?.RootGrantId ?? id,
            DelegationDepth = parent is null ? 0 : parent.DelegationDepth + 1,
        };
        await Get<WriteQueue>().ExecuteAsync(async ctx =>
        {
            ctx.Db.Grants.Add(grant);
            ctx.Db.IssuedTokens.Add(new IssuedToken { Id = Ids.New(Ids.Token), GrantId = id, DeveloperId = developerId, Kid = "sk_test", IssuedAt = now, ExpiresAt = grant.ExpiresAt });
            ctx.Db.RefreshTokens.Add(new RefreshToken { TokenHash = Secrets.Sha256Hex(Secrets.Random()), GrantId = id, DeveloperId = developerId, CreatedAt = now, ExpiresAt = grant.ExpiresAt });
            await ctx.AppendAuditAsync(new AuditDraft(developerId, agentId, Ids.AgentDid(agentId), id, principal, parent is null ? "grant.created" : "grant.delegated", "{}", AuditDraft.Success, "test"));
            return 0;
        });
        return grant;
    }

    public async Task<GrantStatus> StatusAsync(string grantId) => (await Get<GrantService>().FindAsync(grantId))!.Status;

    public async ValueTask DisposeAsync()
    {
        await Services.GetRequiredService<WriteQueue>().StopAsync(CancellationToken.None);
        TestSettings.DeleteDirectory(directory);
    }
}

internal sealed record SeededTree(Agent Planner, Agent Booker, Agent Mailer, Grant Root, Grant Child, Grant Grandchild, Grant Second)
{
    public IReadOnlyList<Grant> All => [Root, Child, Grandchild, Second];
}
