using Grantex.Core.Common;

namespace Grantex.Core.Tests.Common;

public class CursorTests
{
    [Theory]
    [InlineData(0L, "grnt_01J")]
    [InlineData(1767225600123L, "alog_01JABCDEF")]
    [InlineData(-5L, "id|with|bars")]
    [InlineData(long.MaxValue, "é")]
    public void a_cursor_round_trips_through_its_opaque_text(long key, string id)
    {
        var text = new Cursor(key, id).Encode();

        Assert.True(Cursor.TryDecode(text, out var decoded));
        Assert.Equal(new Cursor(key, id), decoded);
        Assert.DoesNotContain('=', text);
        Assert.DoesNotContain('+', text);
        Assert.DoesNotContain('/', text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("bm9iYXI")] // "nobar": no separator
    [InlineData("fGlk")] // "|id": no key
    [InlineData("YWJjfGlk")] // "abc|id": key not a number
    public void garbage_is_refused(string? text)
    {
        Assert.False(Cursor.TryDecode(text, out _));
    }

    [Fact]
    public void an_overlong_cursor_is_refused_before_decoding()
    {
        var text = new Cursor(1, new string('x', 300)).Encode();

        Assert.False(Cursor.TryDecode(text, out _));
    }

    [Fact]
    public void time_keys_are_unix_milliseconds_both_ways()
    {
        var time = new DateTime(2026, 1, 1, 0, 0, 1, 500, DateTimeKind.Utc);

        Assert.Equal(1767225601500L, Cursor.FromTime(time));
        Assert.Equal(time, Cursor.ToTime(1767225601500L));
    }
}
