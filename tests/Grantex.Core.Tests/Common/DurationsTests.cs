using Grantex.Core.Common;

namespace Grantex.Core.Tests.Common;

public class DurationsTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("30m", 1800)]
    [InlineData("24h", 86400)]
    [InlineData("7d", 604800)]
    [InlineData("3650d", 315360000)]
    public void compact_durations_parse_to_seconds(string text, long seconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("+1h")]
    [InlineData("1.5h")]
    [InlineData("1H")]
    [InlineData("1w")]
    [InlineData("1y")]
    [InlineData(" 1h")]
    [InlineData("1h ")]
    [InlineData("1h\n")]
    [InlineData("1 h")]
    [InlineData("3651d")]
    [InlineData("999999999999d")]
    [InlineData("1000000000000s")]
    [InlineData("١h")] // Arabic-Indic digit
    public void anything_else_is_refused(string? text)
    {
        Assert.False(Durations.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.Zero, duration);
    }
}
