using System.Globalization;
using System.Text.RegularExpressions;

namespace Grantex.Core.Common;

/// <summary>Parses the wire format's compact durations: <c>^\d+[smhd]$</c> ("30m", "24h").</summary>
public static partial class Durations
{
    private static readonly TimeSpan Max = TimeSpan.FromDays(3650);

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (text is null || !Pattern().IsMatch(text))
        {
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        var seconds = text[^1] switch
        {
            's' => n,
            'm' => n * 60,
            'h' => n * 3600,
            _ => n * 86400,
        };
        if (n > Max.TotalSeconds || seconds > Max.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    [GeneratedRegex(@"^[0-9]{1,12}[smhd]\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
