using System.Text.Json;

namespace Grantex.Core.Sso;

/// <summary>
/// "Test connection": fetches <c>{issuer}/.well-known/openid-configuration</c> through <see cref="SsoHttp"/> and says
/// what would stop a sign-in — unreachable, not JSON, an issuer that differs from the configured one (ID tokens would
/// be refused), no authorization or token endpoint or keys, no authorization code flow, no PKCE S256.
/// </summary>
public sealed class SsoDiscovery(SsoHttp http)
{
    public static string DiscoveryUrl(string issuerUrl) => issuerUrl.TrimEnd('/') + "/.well-known/openid-configuration";

    public async Task<SsoTestResult> TestAsync(string issuerUrl, CancellationToken cancellationToken = default)
    {
        var url = DiscoveryUrl(issuerUrl);
        JsonDocument document;
        try
        {
            using var client = http.CreateClient();
            using var response = await client.GetAsync(url, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Fail(url, $"The discovery document answered HTTP {(int)response.StatusCode}; check the issuer URL.");
            }

            document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return Fail(url, ex is JsonException ? "The discovery document is not JSON." : $"The discovery document could not be fetched: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var problems = new List<string>();
            var issuer = Text(root, "issuer");
            var authorize = Text(root, "authorization_endpoint");
            var token = Text(root, "token_endpoint");
            if (issuer is null)
            {
                problems.Add("The discovery document has no issuer.");
            }
            else if (!string.Equals(issuer.TrimEnd('/'), issuerUrl.TrimEnd('/'), StringComparison.Ordinal))
            {
                problems.Add($"The provider calls itself '{issuer}', not '{issuerUrl}': set issuerUrl to exactly that, or its ID tokens will be refused.");
            }

            if (authorize is null)
            {
                problems.Add("The discovery document has no authorization_endpoint.");
            }

            if (token is null)
            {
                problems.Add("The discovery document has no token_endpoint.");
            }

            if (Text(root, "jwks_uri") is null)
            {
                problems.Add("The discovery document has no jwks_uri, so ID tokens cannot be verified.");
            }

            if (Values(root, "response_types_supported") is { } types && !types.Contains("code"))
            {
                problems.Add("The provider does not offer the authorization code flow (response_types_supported lacks \"code\").");
            }

            if (Values(root, "code_challenge_methods_supported") is { } methods && !methods.Contains("S256"))
            {
                problems.Add("The provider does not advertise PKCE S256 (code_challenge_methods_supported).");
            }

            return new SsoTestResult(problems.Count == 0, url, issuer, authorize, token, problems);
        }
    }

    private static SsoTestResult Fail(string url, string problem) => new(false, url, null, null, null, [problem]);

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s ? s : null;

    private static List<string>? Values(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Array
            ? [.. e.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : null;
}
