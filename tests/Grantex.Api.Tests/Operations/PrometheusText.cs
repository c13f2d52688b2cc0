using System.Globalization;

namespace Grantex.Api.Tests.Operations;

/// <summary>Reads samples out of a Prometheus text exposition (one <c>name{labels} value</c> per line).</summary>
internal sealed class PrometheusText(string text)
{
    public string Text { get; } = text;

    /// <summary>The sum of the samples named <paramref name="metric"/> that carry every label given (<c>key="value"</c>); 0 when none.</summary>
    public double Sum(string metric, params string[] labels)
    {
        var total = 0.0;
        foreach (var line in Text.Split('\n'))
        {
            if (line.StartsWith('#') || !(line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal)))
            {
                continue;
            }

            var close = line.LastIndexOf('}');
            var labelPart = close < 0 ? "" : line[..close];
            if (labels.All(l => labelPart.Contains(l, StringComparison.Ordinal)))
            {
                var value = line[(close < 0 ? line.IndexOf(' ') : close + 1)..].Trim().Split(' ')[0];
                total += double.Parse(value, CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    public bool Has(string metric) => Text.Split('\n').Any(l => l.StartsWith(metric + "{", StringComparison.Ordinal) || l.StartsWith(metric + " ", StringComparison.Ordinal));
}
