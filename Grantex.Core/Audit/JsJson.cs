using System.Buffers;
using System.Globalization;
using System.Text;

namespace Grantex.Core.Audit;

/// <summary>
/// JavaScript's <c>JSON.stringify</c> for strings and numbers, byte for byte, so our audit hashes equal the
/// reference server's. System.Text.Json's encoders differ: they escape non-BMP characters, DEL, U+2028 and
/// invisible characters, write hex in upper case, and print numbers as .NET does (1E+21, 1E-06).
/// </summary>
internal static class JsJson
{
    // What JSON.stringify escapes: '"', '\\', C0 controls, and lone surrogates (paired ones are kept as they are).
    private static readonly SearchValues<char> Special = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F" +
        string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    public static void WriteString(StringBuilder sb, string value)
    {
        sb.Append('"');
        var span = value.AsSpan();
        while (true)
        {
            var i = span.IndexOfAny(Special);
            if (i < 0)
            {
                sb.Append(span);
                break;
            }

            sb.Append(span[..i]);
            var c = span[i];
            if (char.IsHighSurrogate(c) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                sb.Append(c).Append(span[i + 1]);
                span = span[(i + 2)..];
                continue;
            }

            _ = c switch
            {
                '"' => sb.Append("\\\""),
                '\\' => sb.Append("\\\\"),
                '\b' => sb.Append("\\b"),
                '\f' => sb.Append("\\f"),
                '\n' => sb.Append("\\n"),
                '\r' => sb.Append("\\r"),
                '\t' => sb.Append("\\t"),
                _ => sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
            };
            span = span[(i + 1)..];
        }

        sb.Append('"');
    }

    /// <summary>ECMAScript Number::toString for a double (JSON.stringify prints non-finite numbers as null).</summary>
    public static void WriteNumber(StringBuilder sb, double value)
    {
        if (!double.IsFinite(value))
        {
            sb.Append("null");
            return;
        }

        if (value == 0)
        {
            sb.Append('0'); // also -0
            return;
        }

        if (value < 0)
        {
            sb.Append('-');
            value = -value;
        }

        // "R" is the shortest round-trip form (.NET Core 3.0+): digits s (k of them) and exponent n with value = 0.s × 10^n.
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E', StringComparison.Ordinal);
        var exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? r : r[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var allDigits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        var k = digits.Length;
        var n = (point < 0 ? mantissa.Length : point) - leadingZeros + exponent;

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits.AsSpan(0, n)).Append('.').Append(digits.AsSpan(n));
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits.AsSpan(1));
            }

            sb.Append('e').Append(n - 1 >= 0 ? '+' : '-').Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }
    }
}
