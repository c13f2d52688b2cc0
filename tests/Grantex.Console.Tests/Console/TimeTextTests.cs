using Bunit;
using Grantex.Console.Components.Shared;
using Grantex.Testing;

namespace Grantex.Console.Tests.Console;

public sealed class TimeTextTests : ComponentTest
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(-5, "just now")]
    [InlineData(-45, "45 s ago")]
    [InlineData(-3 * 60, "3 min ago")]
    [InlineData(-5 * 3600, "5 h ago")]
    [InlineData(-2 * 86400, "2 d ago")]
    [InlineData(20 * 60, "in 20 min")]
    [InlineData(26 * 3600, "in 1 d")]
    public void recent_times_are_relative(int seconds, string expected) =>
        Assert.Equal(expected, TimeText.Relative(Now.AddSeconds(seconds), Now));

    [Fact]
    public void distant_times_stay_relative_in_larger_units_so_a_column_never_mixes_formats()
    {
        Assert.Equal("12 d ago", TimeText.Relative(new DateTime(2026, 11, 10, 8, 30, 0, DateTimeKind.Utc), Now));
        Assert.Equal("in 39 d", TimeText.Relative(new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc), Now));
        Assert.Equal("in 11 mo", TimeText.Relative(new DateTime(2027, 11, 20, 0, 0, 0, DateTimeKind.Utc), Now));
        Assert.Equal("3 y ago", TimeText.Relative(new DateTime(2023, 11, 1, 0, 0, 0, DateTimeKind.Utc), Now));
    }

    [Fact]
    public void the_tooltip_time_is_exact_to_the_millisecond_in_utc() =>
        Assert.Equal("2026-11-22 12:00:00.123 UTC", TimeText.Exact(Now.AddMilliseconds(123)));

    [Fact]
    public void a_copy_button_copies_the_id_and_confirms_copied()
    {
        var id = Context.Render<CopyableId>(p => p.Add(x => x.Value, "grnt_01ABC"));

        id.Find("button[aria-label='Copy grnt_01ABC']").Click();

        Assert.Equal("grnt_01ABC", Context.JSInterop.VerifyInvoke("gxConsole.copy").Arguments[0]);
        Assert.Equal("Copied", id.Find("[role=status]").TextContent);
        Assert.Equal("grnt_01ABC", id.Find(".gx-mono").TextContent);

        Time.Advance(TimeSpan.FromSeconds(2));
        id.WaitForAssertion(() => Assert.Equal("", id.Find("[role=status]").TextContent));
    }
}
