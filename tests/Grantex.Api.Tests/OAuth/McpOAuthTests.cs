using System.ComponentModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Grantex.Api.Tests.Consent;
using Grantex.Core.Developers;
using Grantex.Core.OAuth.ResourceServer;
using Grantex.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Grantex.Api.Tests.OAuth;

/// <summary>
/// An unmodified official MCP C# client against a real MCP server (the official SDK) that Grantex tokens protect: the
/// client discovers Grantex from the server's RFC 9728 metadata, registers itself (RFC 7591, with the developer's
/// initial access token), sends the person to the consent page (driven here through the page's form), gets a token
/// and calls a tool; the developer revokes the grant and the next call is refused.
/// </summary>
public sealed class McpOAuthTests : IAsyncLifetime
{
    private readonly GrantexApp _grantex = GrantexApp.With(new GrantexAppOptions { Kestrel = true });
    private WebApplication? _mcp;

    public async Task InitializeAsync() => await _grantex.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_mcp is not null)
        {
            await _mcp.DisposeAsync();
        }

        await _grantex.DisposeAsync();
    }

    [Fact]
    public async Task Official_mcp_client_registers_gets_consent_calls_a_tool_and_is_cut_off_after_revocation()
    {
        // The developer: a live account, the MCP server's URL registered as a resource, an initial access token.
        var port = FreePort();
        var resource = $"http://localhost:{port}/mcp";
        var developer = await _grantex.Services.GetRequiredService<DeveloperService>().CreateAsync("Acme Corp", DeveloperMode.Live);
        using var api = new HttpClient { BaseAddress = new Uri(_grantex.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", developer.Value!.ApiKey);
        (await api.PutAsJsonAsync("/v1/oauth/resources", new { resources = new[] { resource } })).EnsureSuccessStatusCode();
        var registrationToken = (await (await api.PostAsJsonAsync("/v1/oauth/registration-tokens", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        _mcp = await StartMcpServerAsync(port, resource, developer.Value.ApiKey);

        var consents = 0;
        var allowConsent = true;
        var capture = new BearerCapture { InnerHandler = new HttpClientHandler() };
        using var clientHttp = new HttpClient(capture);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(resource),
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri("http://127.0.0.1:8765/callback"),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "Desk Assistant", InitialAccessToken = registrationToken },
                AuthorizationCallbackHandler = async (context, cancellationToken) =>
                {
                    consents++;
                    return allowConsent ? await ApproveInBrowserAsync(context.AuthorizationUri, context.RedirectUri) : null;
                },
            },
        }, clientHttp, NullLoggerFactory.Instance);

        await using (var client = await McpClient.CreateAsync(transport))
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "hello" });
            Assert.NotEqual(true, result.IsError);
            Assert.Equal("echo: hello", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);
            Assert.Equal(1, consents);

            // The grant: the client is an agent with a DID, the token is a grant token for the resource.
            var token = capture.LastBearer!;
            var claims = ApiClient.Payload(token);
            Assert.Equal(resource, (string?)claims["aud"]);
            var grantId = (string)claims["grnt"]!;
            var agentId = ((string)claims["agt"]!)["did:grantex:".Length..];
            var agent = await api.GetFromJsonAsync<JsonElement>($"/v1/agents/{agentId}");
            Assert.Equal("Desk Assistant", agent.GetProperty("name").GetString());
            var grant = await api.GetFromJsonAsync<JsonElement>($"/v1/grants/{grantId}");
            Assert.Equal("active", grant.GetProperty("status").GetString());

            // The developer revokes the grant: introspection says inactive at once, and the next call is refused.
            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/v1/grants/{grantId}")).StatusCode);
            var introspection = await api.PostAsync("/oauth/introspect", new FormUrlEncodedContent([new("token", token)]));
            Assert.False((await introspection.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean());

            allowConsent = false;
            await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "again" }).AsTask());
            Assert.Equal(2, consents);
        }

        // The MCP server itself refuses the revoked token with the RFC 9728 challenge.
        using var direct = new HttpClient();
        using var call = new HttpRequestMessage(HttpMethod.Post, resource) { Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method = "tools/list" }) };
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", capture.FirstBearer!);
        var refused = await direct.SendAsync(call);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("resource_metadata=", refused.Headers.WwwAuthenticate.ToString());
    }

    /// <summary>The person's browser: authorization endpoint → consent page → Allow → the redirect carrying the code.</summary>
    private async Task<AuthorizationResult?> ApproveInBrowserAsync(Uri authorizationUri, Uri redirectUri)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var browser = new HttpClient(handler) { BaseAddress = new Uri(_grantex.BaseUrl) };
        var authorize = await browser.GetAsync(authorizationUri);
        Assert.True(authorize.StatusCode == HttpStatusCode.Redirect, $"authorize answered {(int)authorize.StatusCode}: {await authorize.Content.ReadAsStringAsync()}");
        var consentUrl = authorize.Headers.Location!;
        var requestId = ConsentScenario.Query(consentUrl, "req");
        var antiforgery = await ConsentScenario.OpenConsentPageAsync(browser, requestId);
        var decided = await browser.PostAsync($"/consent?req={requestId}", ConsentScenario.DecisionForm(antiforgery, "allow"));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var back = decided.Headers.Location!;
        Assert.StartsWith(redirectUri.GetLeftPart(UriPartial.Path), back.ToString());
        return new AuthorizationResult { Code = ConsentScenario.Query(back, "code"), State = ConsentScenario.Query(back, "state") };
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
                o.Authority = _grantex.BaseUrl;
                o.Resource = resource;
                o.ApiKey = apiKey;
            })
            .AddMcp(o => o.ResourceMetadata = new ProtectedResourceMetadata
            {
                Resource = resource,
                AuthorizationServers = { _grantex.BaseUrl },
                ScopesSupported = ["tools:call"],
            });
        builder.Services.AddAuthorization();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<EchoTools>();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapMcp("/mcp").RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Remembers the bearer tokens the MCP client sends, to check them afterwards.</summary>
    private sealed class BearerCapture : DelegatingHandler
    {
        public string? FirstBearer { get; private set; }

        public string? LastBearer { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } token })
            {
                FirstBearer ??= token;
                LastBearer = token;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

[McpServerToolType]
public sealed class EchoTools
{
    [McpServerTool(Name = "echo"), Description("Echoes the text back.")]
    public static string Echo(string text) => "echo: " + text;
}
