using System.Diagnostics;
using System.Globalization;

namespace Grantex.ConsoleBench;

/// <summary>Times an async call many times after a warm-up and reports the median and 95th percentile.</summary>
internal static class Stats
{
    public static async Task<(double Median, double P95)> TimeAsync(Func<Task> call, int iterations = 200, int warmup = 20)
    {
        for (var i = 0; i < warmup; i++)
        {
            await call();
        }

        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[iterations / 2], samples[(int)Math.Ceiling(iterations * 0.95) - 1]);
    }

    public static string Ms(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + " ms";
}
