using System.Security.Claims;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Grantex.Console.Components.Account;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Console.Tests.Console;

/// <summary>
/// bUnit with MudBlazor and the real console services on a real SQLite file; a fresh context per test, disposed
/// asynchronously (MudBlazor's services are only IAsyncDisposable).
/// </summary>
public abstract class ConsoleComponentTest : IAsyncLifetime
{
    private readonly string _directory = ConsoleWorld.NewDirectory();

    protected BunitContext Context { get; } = new();

    internal ConsoleWorld World { get; private set; } = default!;

    protected BunitAuthorizationContext Authorization { get; private set; } = default!;

    protected NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    public virtual async Task InitializeAsync()
    {
        ConsoleWorld.Register(Context.Services, _directory);
        Authorization = Context.AddAuthorization();
        Context.JSInterop.Mode = JSRuntimeMode.Loose;
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        World = await ConsoleWorld.StartAsync(Context.Services, _directory);
    }

    /// <summary>Signs a new account with <paramref name="role"/> in; its roles are read from the database by the server side.</summary>
    protected async Task<Claim[]> SignInAsync(string userName, string role)
    {
        var claims = await World.CreateUserAsync(userName, role);
        Authorization.SetAuthorized(userName);
        Authorization.SetRoles(role);
        Authorization.SetPolicies([.. Enum.GetValues<ConsolePermission>().Where(p => ConsolePolicies.RolesFor(p).Contains(role)).Select(PolicyName)]);
        Authorization.SetClaims([.. claims.Where(c => c.Type != ClaimTypes.Name && c.Type != ClaimTypes.Role)]);
        return claims;
    }

    /// <summary>An element's text with runs of whitespace (from markup line breaks) collapsed to one space.</summary>
    protected static string Text(IElement element) => Regex.Replace(element.TextContent, @"\s+", " ").Trim();

    public async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await Context.DisposeAsync();
    }

    private static string PolicyName(ConsolePermission permission) => permission switch
    {
        ConsolePermission.Read => ConsolePolicies.Read,
        ConsolePermission.Verify => ConsolePolicies.Verify,
        _ => ConsolePolicies.Manage,
    };
}
