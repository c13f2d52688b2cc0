using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Grantex.Core.Common;

/// <summary>An opaque keyset cursor: the sort key and id of the last row of a page.</summary>
public readonly record struct Cursor(long Key, string Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Key.ToString(CultureInfo.InvariantCulture) + "|" + Id));

    public static bool TryDecode(string? text, out Cursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return false;
        }

        try
        {
            var raw = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
            var bar = raw.IndexOf('|', StringComparison.Ordinal);
            if (bar <= 0 || !long.TryParse(raw.AsSpan(0, bar), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key))
            {
                return false;
            }

            cursor = new Cursor(key, raw[(bar + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static long FromTime(DateTime utc) => TimeFormat.ToUnixMillis(utc);

    public static DateTime ToTime(long key) => TimeFormat.FromUnixMillis(key);
}
