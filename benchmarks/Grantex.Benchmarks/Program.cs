using BenchmarkDotNet.Running;
using Grantex.Benchmarks;

// dotnet run -c Release --project benchmarks/Grantex.Benchmarks -- <offline-verify|exchange|anomaly-detection|cascade-revoke|audit-append|verify-chain|policy-eval|scim-deactivate|cluster|all|bdn> [runs]
//   or: http LABEL BASE_URL API_KEY AGENT_ID [runs] [seconds]   (against running servers: benchmarks/cluster/http.sh)
// On PostgreSQL: GRANTEX_BENCH_POSTGRES=<admin connection string> (eval "$(bash scripts/pg-throwaway.sh start)" prints one as GRANTEX_TEST_POSTGRES)
var command = args.Length > 0 ? args[0] : "all";
var runs = command == "http"
    ? (args.Length > 5 && int.TryParse(args[5], out var httpRuns) ? httpRuns : 3)
    : (args.Length > 1 && int.TryParse(args[1], out var r) ? r : 5);
Console.WriteLine($"Grantex benchmarks: {command}, {runs} runs, {Environment.ProcessorCount} cores, .NET {Environment.Version}");

switch (command)
{
    case "offline-verify":
        await OfflineVerifyBenchmark.RunAsync(runs);
        break;
    case "exchange":
        await ExchangeBenchmark.RunAsync(runs);
        break;
    case "cascade-revoke":
        await CascadeRevokeBenchmark.RunAsync(runs);
        break;
    case "cascade-breakdown":
        await CascadeRevokeBenchmark.BreakdownAsync(runs);
        break;
    case "audit-append":
        await AuditAppendBenchmark.RunAsync(runs, inFlight: 1);
        await AuditAppendBenchmark.RunAsync(runs, inFlight: 8);
        break;
    case "verify-chain":
        await ChainVerifyBenchmark.RunAsync(Math.Min(runs, 3));
        break;
    case "all":
        await OfflineVerifyBenchmark.RunAsync(runs);
        await ExchangeBenchmark.RunAsync(runs);
        await CascadeRevokeBenchmark.RunAsync(runs);
        await AuditAppendBenchmark.RunAsync(runs, inFlight: 1);
        await AuditAppendBenchmark.RunAsync(runs, inFlight: 8);
        await ChainVerifyBenchmark.RunAsync(Math.Min(runs, 3));
        break;
    case "anomaly-detection":
        await AnomalyDetectionBenchmark.RunAsync(runs, TimeSpan.FromSeconds(2));
        await AnomalyDetectionBenchmark.RunAsync(runs, TimeSpan.Zero);
        break;
    case "scim-deactivate":
        await ScimDeactivateBenchmark.RunAsync(runs);
        break;
    case "policy-eval":
        await PolicyEvaluationBenchmark.RunAsync(runs);
        break;
    case "cluster":
        await ClusterBenchmark.RunAsync(runs);
        break;
    case "http" when args.Length >= 5:
        // http LABEL BASE_URL API_KEY AGENT_ID [runs] [seconds]: the full flow and online verify over HTTP (benchmarks/cluster/http.sh)
        await HttpFlowBenchmark.RunAsync(args[1], new Uri(args[2]), args[3], args[4],
            runs,
            TimeSpan.FromSeconds(args.Length > 6 && int.TryParse(args[6], out var seconds) ? seconds : 10));
        break;
    case "chain-breakdown":
        await ChainBreakdown.RunAsync();
        break;
    case "bdn":
        BenchmarkSwitcher.FromAssembly(typeof(CryptoPaths).Assembly).Run(args[1..]);
        break;
    default:
        Console.Error.WriteLine("Unknown benchmark. Use: offline-verify, exchange, cascade-revoke, audit-append, verify-chain, policy-eval, all, bdn [BenchmarkDotNet args].");
        return 2;
}

return 0;
