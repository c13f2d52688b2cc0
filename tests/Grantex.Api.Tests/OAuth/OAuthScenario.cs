using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Api.Tests.Consent;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Grantex.Api.Tests.OAuth;

/// <summary>A developer with a registered resource and an initial access token, and the steps of the OAuth code flow as a client and a person's browser take them.</summary>
internal sealed class OAuthScenario
{
    public const string Resource = "https://mcp.example.com/mcp";
    public const string RedirectUri = "http://127.0.0.1:8765/callback";

    private OAuthScenario(GrantexApp app, HttpClient developer, string developerId, string apiKey)
    {
        App = app;
        Developer = developer;
        DeveloperId = developerId;
        ApiKey = apiKey;
    }

    public GrantexApp App { get; }

    /// <summary>The developer's server: an HttpClient with its API key.</summary>
    public HttpClient Developer { get; }

    public string DeveloperId { get; }

    public string ApiKey { get; }

    public static async Task<OAuthScenario> CreateAsync(GrantexApp app, DeveloperMode mode = DeveloperMode.Live, string resource = Resource, string name = "Acme Corp")
    {
        var created = await app.Services.GetRequiredService<DeveloperService>().CreateAsync(name, mode);
        var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.ApiKey);
        (await http.PutAsJsonAsync("/v1/oauth/resources", new { resources = new[] { resource } })).EnsureSuccessStatusCode();
        return new OAuthScenario(app, http, created.Value.Developer.Id, created.Value.ApiKey);
    }

    public async Task<string> RegistrationTokenAsync(object? body = null)
    {
        var response = await Developer.PostAsJsonAsync("/v1/oauth/registration-tokens", body ?? new { });
        var json = await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
        return (string)json["token"]!;
    }

    /// <summary>Registers a client with a fresh initial access token; returns the registration response.</summary>
    public async Task<JsonObject> RegisterAsync(string authMethod = "none", string[]? redirectUris = null)
    {
        var response = await RegisterRawAsync(await RegistrationTokenAsync(), new
        {
            client_name = "Desk Assistant",
            redirect_uris = redirectUris ?? [RedirectUri],
            token_endpoint_auth_method = authMethod,
            grant_types = new[] { "authorization_code", "refresh_token" },
            response_types = new[] { "code" },
        });
        return await ApiClient.ExpectAsync(response, HttpStatusCode.Created);
    }

    public Task<HttpResponseMessage> RegisterRawAsync(string? initialAccessToken, object metadata)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oauth/register")
        {
            Content = new StringContent(JsonSerializer.Serialize(metadata), Encoding.UTF8, "application/json"),
        };
        if (initialAccessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", initialAccessToken);
        }

        return Anonymous().SendAsync(request);
    }

    /// <summary>A client or browser without credentials and without following redirects; keeps cookies.</summary>
    public HttpClient Anonymous() => App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Core.Common.Secrets.Random(48);
        return (verifier, Pkce.ChallengeFor(verifier));
    }

    public static string AuthorizeUrl(string clientId, string challenge, string? redirectUri = RedirectUri, string? resource = Resource,
        string? scope = "tools:call files:read", string? state = "st-1", string? method = "S256", params (string Key, string Value)[] extra)
    {
        var query = new Dictionary<string, string?> { ["response_type"] = "code", ["client_id"] = clientId };
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                query[key] = value;
            }
        }

        Add("redirect_uri", redirectUri);
        Add("resource", resource);
        Add("scope", scope);
        Add("state", state);
        Add("code_challenge", challenge);
        Add("code_challenge_method", method);
        foreach (var (key, value) in extra)
        {
            query[key] = value;
        }

        return QueryHelpers.AddQueryString("/oauth/authorize", query);
    }

    /// <summary>
    /// The person's part: follows the authorization endpoint to the consent page, presses Allow, and returns where the
    /// page redirected to (the client's redirect URI with code and state).
    /// </summary>
    public async Task<Uri> ConsentAsync(string authorizeUrl, string decision = "allow")
    {
        using var browser = Anonymous();
        var authorize = await browser.GetAsync(authorizeUrl);
        Assert.True(authorize.StatusCode == HttpStatusCode.Redirect, $"authorize answered {(int)authorize.StatusCode}: {await authorize.Content.ReadAsStringAsync()}");
        var consent = authorize.Headers.Location!;
        Assert.StartsWith("/consent", consent.IsAbsoluteUri ? consent.AbsolutePath : consent.OriginalString.Replace(App.BaseUrl, "", StringComparison.Ordinal));
        var requestId = ConsentScenario.Query(consent.IsAbsoluteUri ? consent : new Uri(new Uri(App.BaseUrl), consent), "req");
        var token = await ConsentScenario.OpenConsentPageAsync(browser, requestId);
        var post = await browser.PostAsync($"/consent?req={requestId}", ConsentScenario.DecisionForm(token, decision));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        return post.Headers.Location!;
    }

    public async Task<string> CodeAsync(string clientId, string challenge)
    {
        var back = await ConsentAsync(AuthorizeUrl(clientId, challenge));
        Assert.Equal("st-1", ConsentScenario.Query(back, "state"));
        return ConsentScenario.Query(back, "code");
    }

    public Task<HttpResponseMessage> TokenAsync(IEnumerable<(string Key, string Value)> form, (string Id, string Secret)? basic = null) =>
        PostFormAsync("/oauth/token", form, basic);

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<(string Key, string Value)> form, (string Id, string Secret)? basic = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        if (basic is { } b)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(b.Id) + ":" + Uri.EscapeDataString(b.Secret))));
        }
        else if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return Anonymous().SendAsync(request);
    }

    public static (string, string)[] CodeForm(string clientId, string code, string verifier, string redirectUri = RedirectUri, string? resource = Resource)
    {
        var form = new List<(string, string)> { ("grant_type", "authorization_code"), ("client_id", clientId), ("code", code), ("code_verifier", verifier), ("redirect_uri", redirectUri) };
        if (resource is not null)
        {
            form.Add(("resource", resource));
        }

        return [.. form];
    }

    /// <summary>Registers a public client, runs the consent and exchanges the code: the token response.</summary>
    public async Task<(string ClientId, JsonObject Tokens)> FullFlowAsync()
    {
        var clientId = (string)(await RegisterAsync())["client_id"]!;
        var (verifier, challenge) = NewPkce();
        var code = await CodeAsync(clientId, challenge);
        var tokens = await ApiClient.ExpectAsync(await TokenAsync(CodeForm(clientId, code, verifier)), HttpStatusCode.OK);
        return (clientId, tokens);
    }

    public async Task<JsonObject> IntrospectAsync(string token) =>
        await ApiClient.ExpectAsync(await PostFormAsync("/oauth/introspect", [("token", token)], bearer: ApiKey), HttpStatusCode.OK);

    /// <summary>Asserts an OAuth error body (not the Grantex one) with <paramref name="error"/>.</summary>
    public static async Task<JsonObject> ExpectOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        var body = await ApiClient.ExpectAsync(response, status);
        Assert.Equal(error, (string?)body["error"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)body["error_description"]));
        Assert.Null(body["code"]);
        return body;
    }

    public async Task<IReadOnlyList<JsonElement>> AuditAsync(string action)
    {
        var page = await Developer.GetFromJsonAsync<JsonElement>($"/v1/audit/entries?action={action}&pageSize=100");
        return [.. page.GetProperty("entries").EnumerateArray()];
    }
}
