using System.ComponentModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Browser.Tests.Consent;
using Grantex.Core.Developers;
using Grantex.Core.OAuth.ResourceServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Grantex.Browser.Tests.OAuth;

/// <summary>
/// The MCP flow with the consent step in Chromium: the official C# MCP client registers itself, opens our authorization
/// endpoint in the browser, the person presses Allow on the consent page, the browser lands on the client's loopback
/// redirect URI, and the client calls a tool on an official-SDK MCP server that Grantex tokens protect; after the
/// developer revokes the grant the next call is refused.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class McpConsentBrowserTests(BrowserAppFixture app)
{
    [Fact]
    public async Task a_person_allows_an_mcp_client_in_the_browser_and_revocation_cuts_it_off()
    {
        var port = FreePort();
        var resource = $"http://localhost:{port}/mcp";
        var developer = await app.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live);
        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", developer.Value!.ApiKey);
        (await api.PutAsJsonAsync("/v1/oauth/resources", new { resources = new[] { resource } })).EnsureSuccessStatusCode();
        var initial = (await (await api.PostAsJsonAsync("/v1/oauth/registration-tokens", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using var mcp = await StartMcpServerAsync(port, resource, developer.Value.ApiKey);

        var allow = true;
        var consents = 0;
        await using var context = await app.NewContextAsync();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(resource),
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri(AppCallback.RedirectUri),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "Desk Assistant", InitialAccessToken = initial },
                AuthorizationCallbackHandler = async (callback, _) =>
                {
                    consents++;
                    if (!allow)
                    {
                        return null;
                    }

                    var page = await context.NewPageAsync();
                    var consent = await ConsentPageObject.OpenAsync(page, callback.AuthorizationUri.ToString());
                    Assert.Equal(200, consent.Status);
                    Assert.Equal("Desk Assistant wants access to your account", (await consent.Heading.InnerTextAsync()).Trim());
                    Assert.Contains("Not named", await page.Locator(".gx-principal").InnerTextAsync(), StringComparison.Ordinal);
                    Assert.Contains(resource, await page.Locator(".gx-audience").InnerTextAsync(), StringComparison.Ordinal);
                    await BrowserAppFixture.ScreenshotAsync(page, "mcp-consent-1280");
                    await page.SetViewportSizeAsync(390, 844);
                    await BrowserAppFixture.ScreenshotAsync(page, "mcp-consent-390");
                    await page.SetViewportSizeAsync(1280, 800);
                    var landed = await consent.AllowAsync();
                    await page.CloseAsync();
                    return new AuthorizationResult { Code = landed.Code, State = landed.State };
                },
            },
        }, new HttpClient(), NullLoggerFactory.Instance);

        await using var client = await McpClient.CreateAsync(transport);
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "from the browser" });
        Assert.Equal("echo: from the browser", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
        Assert.Equal(1, consents);

        // The grant is in the developer's list, for the registered client (an agent); revoking it cuts the client off.
        var grants = await api.GetFromJsonAsync<JsonElement>("/v1/grants");
        var grant = Assert.Single(grants.GetProperty("grants").EnumerateArray());
        Assert.Equal(resource, grant.GetProperty("audience").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/grants/{grant.GetProperty("grantId").GetString()}")).StatusCode);
        allow = false;
        await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "again" }).AsTask());
        Assert.Equal(2, consents);
    }

    private async Task<WebApplication> StartMcpServerAsync(int port, string resource, string apiKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultAuthenticateScheme = GrantexTokenDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme;
            })
            .AddGrantexToken(o =>
            {
                o.Authority = app.BaseUrl;
                o.Resource = resource;
                o.ApiKey = apiKey;
            })
            .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata { Resource = resource, AuthorizationServers = { app.BaseUrl }, ScopesSupported = ["tools:call"] });
        builder.Services.AddAuthorization();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<BrowserEchoTools>();
        var server = builder.Build();
        server.UseAuthentication();
        server.UseAuthorization();
        server.MapMcp("/mcp").RequireAuthorization();
        await server.StartAsync();
        return server;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[McpServerToolType]
public sealed class BrowserEchoTools
{
    [McpServerTool(Name = "echo"), Description("Echoes the text back.")]
    public static string Echo(string text) => "echo: " + text;
}
