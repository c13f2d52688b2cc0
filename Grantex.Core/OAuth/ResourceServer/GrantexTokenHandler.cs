using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Grantex.Core.OAuth.ResourceServer;

/// <summary>
/// For servers that Grantex tokens protect (an MCP server, an API): authenticates <c>Authorization: Bearer</c> by
/// asking the Grantex server's introspection endpoint (RFC 7662) on every request, so a revoked grant is refused on
/// the very next call, and accepts only tokens whose <c>aud</c> is this resource. The challenge is left to the scheme
/// the application names for it — with the MCP C# SDK, its <c>McpAuthenticationHandler</c> (<c>AddMcp</c>), which
/// serves the RFC 9728 protected-resource metadata and sends <c>WWW-Authenticate: Bearer resource_metadata=…</c>.
/// </summary>
public sealed class GrantexTokenHandler(IOptionsMonitor<GrantexTokenOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<GrantexTokenOptions>(options, logger, encoder)
{
    private static readonly HttpClient DefaultBackchannel = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header[7..].Trim();
        if (token.Length == 0)
        {
            return AuthenticateResult.Fail("empty bearer token");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, Options.Authority.TrimEnd('/') + "/oauth/introspect")
        {
            Content = new FormUrlEncodedContent([new("token", token), new("token_type_hint", "access_token")]),
        };
        request.Headers.Authorization = Options.ApiKey is not null
            ? new AuthenticationHeaderValue("Bearer", Options.ApiKey)
            : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                Uri.EscapeDataString(Options.ClientId ?? "") + ":" + Uri.EscapeDataString(Options.ClientSecret ?? ""))));

        using var response = await (Options.Backchannel ?? DefaultBackchannel).SendAsync(request, Context.RequestAborted);
        if (!response.IsSuccessStatusCode)
        {
            return AuthenticateResult.Fail($"introspection answered {(int)response.StatusCode}");
        }

        using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(Context.RequestAborted), cancellationToken: Context.RequestAborted);
        var root = body.RootElement;
        if (!root.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True)
        {
            return AuthenticateResult.Fail("token inactive (revoked, expired, unknown or of another developer)");
        }

        if (Text(root, "aud") != Options.Resource)
        {
            return AuthenticateResult.Fail("token issued for another resource");
        }

        var claims = new List<Claim> { new("sub", Text(root, "sub") ?? "") };
        foreach (var scope in (Text(root, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            claims.Add(new Claim(GrantexTokenDefaults.ScopeClaim, scope));
        }

        AddIfSet(claims, GrantexTokenDefaults.ClientIdClaim, Text(root, "client_id"));
        AddIfSet(claims, GrantexTokenDefaults.GrantIdClaim, Text(root, "grnt"));
        AddIfSet(claims, GrantexTokenDefaults.AgentDidClaim, Text(root, "agt"));
        var identity = new ClaimsIdentity(claims, Scheme.Name, "sub", null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void AddIfSet(List<Claim> claims, string type, string? value)
    {
        if (value is not null)
        {
            claims.Add(new Claim(type, value));
        }
    }
}

public static class GrantexTokenExtensions
{
    /// <summary>Adds <see cref="GrantexTokenHandler"/> under <see cref="GrantexTokenDefaults.AuthenticationScheme"/>.</summary>
    public static AuthenticationBuilder AddGrantexToken(this AuthenticationBuilder builder, Action<GrantexTokenOptions> configure) =>
        builder.AddScheme<GrantexTokenOptions, GrantexTokenHandler>(GrantexTokenDefaults.AuthenticationScheme, configure);
}
