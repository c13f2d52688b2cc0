namespace Grantex.Core.OAuth;

/// <summary>
/// The parameters of an OAuth request (query or form). RFC 6749 §3.1 and §3.2: a parameter sent more than once is an
/// <c>invalid_request</c>; empty values count as absent.
/// </summary>
public sealed class OAuthParameters(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> values)
{
    private readonly Dictionary<string, IReadOnlyList<string?>> _values = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    /// <summary>The single value of <paramref name="name"/>, or null when absent or empty.</summary>
    public string? this[string name] => _values.TryGetValue(name, out var v) && v.Count == 1 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;

    /// <summary>The first parameter (of <paramref name="names"/>) that was sent more than once, if any.</summary>
    public string? Repeated(params string[] names) => names.FirstOrDefault(n => _values.TryGetValue(n, out var v) && v.Count > 1);
}
