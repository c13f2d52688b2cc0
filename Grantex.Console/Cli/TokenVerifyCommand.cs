using System.Text.Json;
using Grantex.Core.Identity;
using Grantex.Core.Tokens;

namespace Grantex.Console.Cli;

/// <summary>
/// <c>token verify --token JWT --jwks URL-or-FILE [--issuer ISS] [--audience AUD] [--scope S] [--min-identity LEVEL]</c>: verifies a grant
/// token offline with <see cref="GrantTokenVerifier"/>, exactly as a .NET service would — nothing but the JWKS is read.
/// </summary>
public static class TokenVerifyCommand
{
    public static async Task<int> RunAsync(Dictionary<string, string?> options, TextWriter output, TextWriter error)
    {
        if (options.GetValueOrDefault("token") is not { Length: > 0 } token || options.GetValueOrDefault("jwks") is not { Length: > 0 } jwksSource)
        {
            await error.WriteLineAsync("Usage: Grantex.Console token verify --token JWT --jwks URL-or-FILE [--issuer ISS] [--audience AUD] [--scope SCOPE] [--min-identity none|sso|passkey]");
            return 2;
        }

        string jwks;
        try
        {
            jwks = await ReadJwksAsync(jwksSource);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException or TaskCanceledException)
        {
            await error.WriteLineAsync($"Could not read the JWKS from {jwksSource}: {ex.Message}");
            return 2;
        }

        // Default issuer as the SDKs derive it: the JWKS URL without /.well-known/jwks.json.
        var issuer = options.GetValueOrDefault("issuer")
            ?? (jwksSource.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? jwksSource.Replace("/.well-known/jwks.json", "", StringComparison.Ordinal).TrimEnd('/') : null);
        if (issuer is null)
        {
            await error.WriteLineAsync("--issuer is required when the JWKS comes from a file.");
            return 2;
        }

        var minimum = IdentityLevel.None;
        if (options.GetValueOrDefault("min-identity") is { } levelText)
        {
            if (IdentityLevels.FromWire(levelText) is not { } parsed)
            {
                await error.WriteLineAsync("--min-identity must be none, sso or passkey.");
                return 2;
            }

            minimum = parsed;
        }

        var verifier = GrantTokenVerifier.FromJwks(jwks);
        var scopes = options.GetValueOrDefault("scope") is { } s ? s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        var result = await verifier.VerifyAsync(token, new GrantTokenVerifierOptions
        {
            Issuer = issuer, Audience = options.GetValueOrDefault("audience"), RequiredScopes = scopes, MinimumIdentity = minimum,
        });
        if (!result.IsValid)
        {
            await output.WriteLineAsync($"INVALID ({result.Check}): {result.Detail}");
            return 1;
        }

        var g = result.Grant!;
        await output.WriteLineAsync("VALID (signature, issuer, lifetime" + (scopes.Length > 0 ? ", scopes" : "") + (minimum > IdentityLevel.None ? ", identity at least " + IdentityLevels.ToWire(minimum) : "") + " checked offline; revocation needs the online check)");
        await output.WriteLineAsync(JsonSerializer.Serialize(g, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        return 0;
    }

    private static async Task<string> ReadJwksAsync(string source)
    {
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            return await http.GetStringAsync(uri);
        }

        return await File.ReadAllTextAsync(source);
    }
}
