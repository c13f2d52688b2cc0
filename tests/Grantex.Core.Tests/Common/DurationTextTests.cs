using Grantex.Core.Common;

namespace Grantex.Core.Tests.Common;

public class DurationTextTests
{
    [Theory]
    [InlineData(30, "30 seconds")]
    [InlineData(60, "1 minute")]
    [InlineData(90, "1 minute and 30 seconds")]
    [InlineData(3600, "1 hour")]
    [InlineData(2 * 3600 + 15 * 60, "2 hours and 15 minutes")]
    [InlineData(86400, "1 day")]
    [InlineData(36 * 3600, "1 day and 12 hours")]
    [InlineData(30 * 86400, "30 days")]
    [InlineData(2 * 86400 + 5, "2 days")]
    public void durations_read_as_words(int seconds, string words)
    {
        Assert.Equal(words, DurationText.ToWords(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void a_date_names_the_day_and_the_utc_zone()
    {
        Assert.Equal("Monday, 23 November 2026 at 20:42 UTC", DurationText.ToDate(new DateTime(2026, 11, 23, 20, 42, 59, DateTimeKind.Utc)));
        Assert.Equal("08:05 UTC", DurationText.ToTime(new DateTime(2026, 11, 23, 8, 5, 0, DateTimeKind.Utc)));
    }
}
