namespace Grantex.ConsoleBench;

/// <summary>
/// Console measurements (run in Release):
/// <c>dotnet run -c Release --project benchmarks/Grantex.ConsoleBench -- grants [count]</c>: grant-list server time with
/// N grants (default 100,000); <c>-- memory [circuits] [path]</c>: memory per open console circuit (default 20 on /grants).
/// </summary>
internal static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        var mode = args.FirstOrDefault() ?? "grants";
        var count = args.Length > 1 && int.TryParse(args[1], out var n) ? n : 0;
        return mode switch
        {
            "grants" => await GrantListBenchmark.RunAsync(count > 0 ? count : 100_000),
            "memory" => await CircuitMemoryBenchmark.RunAsync(count > 0 ? count : 20, args.Length > 2 ? args[2] : "/grants"),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        System.Console.Error.WriteLine("usage: Grantex.ConsoleBench grants [count] | memory [circuits] [path]");
        return 2;
    }
}
