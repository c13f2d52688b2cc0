using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Grantex.Console.Infrastructure.Operations;

/// <summary>
/// The body of <c>/health/live</c> and <c>/health/ready</c>: the overall status and each check's status, duration and
/// our own description. Exception messages are never written (they can name hosts, users or file paths); the health
/// check service logs them.
/// </summary>
public static class HealthReportWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartObject("checks");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", Name(entry.Status));
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            if (Description(entry) is { } description)
            {
                json.WriteString("description", description);
            }

            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    private static string? Description(HealthReportEntry entry) => entry switch
    {
        { Exception: TimeoutException or OperationCanceledException } => "The check timed out.",
        { Exception: not null } => "The check failed; the server log says why.",
        { Description: { } description } => description,
        { Status: HealthStatus.Healthy } => null,
        _ => "The check failed; the server log says why.",
    };

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
