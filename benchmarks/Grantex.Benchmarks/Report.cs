using System.Globalization;

namespace Grantex.Benchmarks;

/// <summary>Prints each run and the median, in a form RESULTS.md can quote.</summary>
internal static class Report
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static void Run(string name, int run, string text) => Console.WriteLine($"  [{name}] run {run}: {text}");

    public static void Summary(string name, string unit, IReadOnlyList<double> values, double target, bool higherIsBetter)
    {
        var median = Median(values);
        var met = higherIsBetter ? median >= target : median <= target;
        var ratio = higherIsBetter ? median / target : target / median;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {name}: median {median:N1} {unit} over {values.Count} runs (min {values.Min():N1}, max {values.Max():N1}); target {(higherIsBetter ? ">=" : "<=")} {target:N0} {unit}: {(met ? "MET" : "MISSED")} ({ratio:P0} of target)"));
    }

    public static string F(double value, string format = "N1") => value.ToString(format, CultureInfo.InvariantCulture);
}
