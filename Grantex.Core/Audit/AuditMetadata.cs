using System.Text.Json;

namespace Grantex.Core.Audit;

/// <summary>
/// Builds an entry's metadata: named values, written as canonical JSON (keys sorted, no whitespace) exactly as the
/// hash expects. The one way the server makes metadata; never JSON by string concatenation.
/// </summary>
public sealed class AuditMetadata
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    /// <summary>No metadata: <c>{}</c>.</summary>
    public static string None => "{}";

    public static AuditMetadata With(string key, object? value) => new AuditMetadata().And(key, value);

    public AuditMetadata And(string key, object? value)
    {
        _values[key] = value;
        return this;
    }

    /// <summary>Adds the value when <paramref name="when"/> holds (optional fields stay out of the entry otherwise).</summary>
    public AuditMetadata AndIf(bool when, string key, object? value) => when ? And(key, value) : this;

    /// <summary>A text value cut to <paramref name="max"/> characters, so input a caller controls cannot bloat the chain.</summary>
    public AuditMetadata AndBounded(string key, string? value, int max) =>
        And(key, value is null ? null : value[..Math.Min(value.Length, max)]);

    public string ToCanonicalJson() => AuditHash.Canonicalize(JsonSerializer.SerializeToElement(_values));

    public override string ToString() => ToCanonicalJson();
}
