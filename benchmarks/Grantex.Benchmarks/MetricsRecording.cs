using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Grantex.Core.Telemetry;
using Grantex.Core.Tokens;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Grantex.Benchmarks;

/// <summary>
/// The cost of one measurement on the hot paths (a verification, a grant, a writer commit) with the OpenTelemetry SDK
/// listening, as when <c>/metrics</c> is on. Target: no allocation per measurement.
/// </summary>
[MemoryDiagnoser]
public class MetricsRecording
{
    private ServiceProvider? _services;
    private MeterProvider? _provider;
    private GrantexMetrics? _metrics;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new GrantexMetrics(_services.GetRequiredService<IMeterFactory>());
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(GrantexMetrics.MeterName)
            .AddReader(new BaseExportingMetricReader(new DiscardingExporter()))
            .Build();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider?.Dispose();
        _services?.Dispose();
    }

    [Benchmark]
    public void Verification() => _metrics!.Verified(TokenCheck.Valid);

    [Benchmark]
    public void GrantIssued() => _metrics!.GrantIssued(delegated: false);

    [Benchmark]
    public void WriterCommit() => _metrics!.WriterCommitted(TimeSpan.FromMilliseconds(0.8), 12);

    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
