using System.Security.Claims;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Grantex.Console.Components.Account;
using Grantex.Testing;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Console.Tests.Console;

/// <summary>
/// The bUnit base (<see cref="ComponentTest"/>) with the real console services on a real SQLite file and a signed-in
/// console account; a fresh context and database per test.
/// </summary>
public abstract class ConsoleComponentTest : ComponentTest
{
    private readonly string _directory = ConsoleWorld.NewDirectory();

    internal ConsoleWorld World { get; private set; } = default!;

    protected BunitAuthorizationContext Authorization { get; private set; } = default!;

    protected NavigationManager Navigation => Context.Services.GetRequiredService<NavigationManager>();

    public override async Task InitializeAsync()
    {
        ConsoleWorld.Register(Context.Services, _directory);
        Authorization = Context.AddAuthorization();
        Context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
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

    public override async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await base.DisposeAsync();
    }

    private static string PolicyName(ConsolePermission permission) => permission switch
    {
        ConsolePermission.Read => ConsolePolicies.Read,
        ConsolePermission.Verify => ConsolePolicies.Verify,
        _ => ConsolePolicies.Manage,
    };
}
