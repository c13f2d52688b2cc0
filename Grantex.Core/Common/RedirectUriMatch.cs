namespace Grantex.Core.Common;

/// <summary>
/// Whether a redirect URI sent at authorize is one the agent registered: the exact string (api.md), or — for OAuth
/// clients only — a loopback <c>http</c> URI that differs from a registered loopback URI in its port alone, because
/// native apps listen on whatever port the system gives them (RFC 8252 §7.3).
/// </summary>
public static class RedirectUriMatch
{
    public static bool Matches(IEnumerable<string> registered, string requested, bool loopbackAnyPort) =>
        registered.Any(r => string.Equals(r, requested, StringComparison.Ordinal) || (loopbackAnyPort && SameLoopbackButPort(r, requested)));

    /// <summary>True for <c>http</c> on 127.0.0.1, [::1] or localhost.</summary>
    public static bool IsLoopbackHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp && uri.IdnHost is "127.0.0.1" or "[::1]" or "::1" or "localhost";

    private static bool SameLoopbackButPort(string registered, string requested)
    {
        if (!Uri.TryCreate(registered, UriKind.Absolute, out var r) || !Uri.TryCreate(requested, UriKind.Absolute, out var q)
            || !IsLoopbackHttp(r) || !IsLoopbackHttp(q) || !string.IsNullOrEmpty(q.UserInfo) || requested.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        // Host (no case folding beyond the URI parser's), path and query must be the same; only the port may differ.
        return string.Equals(r.IdnHost, q.IdnHost, StringComparison.Ordinal)
            && string.Equals(r.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped), q.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped), StringComparison.Ordinal);
    }
}
