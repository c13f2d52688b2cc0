using System.Diagnostics.Metrics;
using Grantex.Core.Persistence;
using Grantex.Core.Telemetry;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Grantex.Console.Infrastructure.Operations;

/// <summary>
/// What operations people need from a node: OpenTelemetry metrics (Prometheus <c>/metrics</c> when
/// <c>Grantex:Metrics:Enabled</c>; OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set) and traces (OTLP only),
/// <c>/health/live</c> and <c>/health/ready</c>, and an optional JSON console log.
/// </summary>
public static class OperationsExtensions
{
    public const string MetricsEnabledKey = "Grantex:Metrics:Enabled";
    public const string LogFormatKey = "Grantex:Logging:Format";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string ReadyTag = "ready";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder AddGrantexOperations(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        if (string.Equals(configuration[LogFormatKey], "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line, UTC ISO 8601 timestamps, scopes (request id, trace id) included.
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.IncludeScopes = true;
            });
        }

        AddTelemetry(builder.Services, configuration);

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<GrantexDbContext>("database", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<SigningKeyHealthCheck>("signing_key", HealthStatus.Unhealthy, [ReadyTag]);
        builder.Services.Configure<HealthCheckServiceOptions>(o =>
        {
            foreach (var registration in o.Registrations)
            {
                registration.Timeout = CheckTimeout;
            }
        });
        return builder;
    }

    /// <summary>
    /// <c>/health/live</c> (the process answers: no check runs, always 200), <c>/health/ready</c> (database reachable,
    /// migrations applied, signing key loaded: 200, else 503) and, when enabled, <c>/metrics</c>. None of them needs
    /// authentication or counts against a rate limit, so probes and scrapers never starve the API or are refused.
    /// </summary>
    public static WebApplication MapGrantexOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync })
            .AllowAnonymous().DisableRateLimiting().WithTags("Service");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = HealthReportWriter.WriteAsync })
            .AllowAnonymous().DisableRateLimiting().WithTags("Service");
        if (app.Configuration.GetValue<bool>(MetricsEnabledKey))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous().DisableRateLimiting();
        }

        return app;
    }

    private static void AddTelemetry(IServiceCollection services, IConfiguration configuration)
    {
        var prometheus = configuration.GetValue<bool>(MetricsEnabledKey);
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
        if (!prometheus && !otlp)
        {
            // Nothing listens to the meters: recording a measurement costs a check of an empty listener list.
            return;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("grantex"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(GrantexMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation();

            // Meters made by another host's IMeterFactory in this process (tests run many hosts at once) share names
            // with ours; the SDK would merge them into our streams and drop those streams when that host stops.
            ((IDeferredMeterProviderBuilder)metrics).Configure((services, builder) =>
            {
                var own = services.GetRequiredService<IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own) ? MetricStreamConfiguration.Drop : null);
            });
            if (prometheus)
            {
                // Every scrape reads the instruments afresh (the exporter's default keeps an answer for 300 ms).
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            // Traces have no Prometheus form: they are collected only when there is a collector to send them to.
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        }
    }

    private static bool IsProbe(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
