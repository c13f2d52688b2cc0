using Grantex.Core.Common;

namespace Grantex.Core.OAuth;

/// <summary>
/// Which redirect URIs a client may register (RFC 7591 §2, RFC 8252, RFC 9700 §2.6): absolute <c>https</c> URLs, or
/// <c>http</c> on a loopback address for native apps; no fragment, no credentials, no wildcard. Other schemes —
/// <c>javascript:</c>, <c>data:</c>, custom schemes — are refused.
/// </summary>
public static class RedirectUriRules
{
    public const int MaxCount = 20;

    /// <summary>Why <paramref name="value"/> cannot be registered, or null when it can.</summary>
    public static string? Refusal(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 2048)
        {
            return "each redirect URI must be 1 to 2048 characters";
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return $"'{value}' contains a wildcard; redirect URIs are matched exactly";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return $"'{Shorten(value)}' is not an absolute https URL (other schemes such as javascript: or data: are refused)";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !RedirectUriMatch.IsLoopbackHttp(uri))
        {
            return $"'{value}' uses http on a non-loopback host; use https, or http on 127.0.0.1, [::1] or localhost (RFC 8252)";
        }

        if (!Validate.RedirectUri(value))
        {
            return $"'{value}' must not carry credentials, a fragment or white space";
        }

        return null;
    }

    private static string Shorten(string value) => value.Length > 80 ? value[..80] + "…" : value;
}
