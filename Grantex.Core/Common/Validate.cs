namespace Grantex.Core.Common;

/// <summary>Input rules shared by the endpoints (wire format §1.5, §3.3, §3.4).</summary>
public static class Validate
{
    public const int MaxScopes = 100;
    public const int MaxScopeLength = 256;

    /// <summary>Scopes are opaque: 1..256 characters, not blank, at most 100 per list, no duplicates kept.</summary>
    public static Result<List<string>> Scopes(IReadOnlyList<string?>? scopes, bool required, string field = "scopes")
    {
        if (scopes is null || scopes.Count == 0)
        {
            return required ? GxError.BadRequest($"{field} must contain at least one scope.", field) : new List<string>();
        }

        if (scopes.Count > MaxScopes)
        {
            return GxError.BadRequest($"Too many scopes (max {MaxScopes}).", field);
        }

        var result = new List<string>(scopes.Count);
        foreach (var scope in scopes)
        {
            if (string.IsNullOrWhiteSpace(scope) || scope.Length > MaxScopeLength || scope.Any(char.IsControl))
            {
                return GxError.BadRequest("Invalid scope format: each scope is a non-blank string of at most 256 characters.", field);
            }

            if (!result.Contains(scope, StringComparer.Ordinal))
            {
                result.Add(scope);
            }
        }

        return result;
    }

    public static bool Text(string? value, int max, bool required = true) =>
        value is null ? !required : value.Trim().Length > 0 && value.Length <= max && !value.Any(c => char.IsControl(c) && c != '\n' && c != '\t');

    /// <summary>An absolute http(s) URL without user info or fragment, at most 2048 characters.</summary>
    public static bool RedirectUri(string? value) =>
        value is { Length: > 0 and <= 2048 }
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && string.IsNullOrEmpty(uri.UserInfo)
        && !value.Contains('#', StringComparison.Ordinal)
        && !value.Any(char.IsWhiteSpace);

    /// <summary>
    /// A redirect URI a live developer's agent may use: <c>https</c>, or plain <c>http</c> only to the loopback
    /// interface (<c>127.0.0.1</c>, <c>[::1]</c>, <c>localhost</c>) for native apps (RFC 8252 §7.3, RFC 9700 §2.6).
    /// Sandbox developers may keep any <see cref="RedirectUri"/>.
    /// </summary>
    public static bool LiveRedirectUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && (uri.IdnHost is "127.0.0.1" or "[::1]" or "::1" or "localhost")));

    /// <summary>The message for a redirect URI refused by <see cref="LiveRedirectUri"/>, naming it.</summary>
    public static string LiveRedirectUriRule(string field, string value) =>
        $"{field} '{value}' is not allowed for a live developer: use https, or http only on a loopback address " +
        "(http://127.0.0.1:port, http://[::1]:port or http://localhost:port, RFC 8252). Sandbox developers may use http.";
}
