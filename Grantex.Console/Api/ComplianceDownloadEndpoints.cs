using Grantex.Console.Components.Account;
using Grantex.Core.Common;
using Grantex.Core.Compliance;
using Grantex.Core.Developers;

namespace Grantex.Console.Api;

/// <summary>
/// Downloads for the console's Compliance page, behind the console sign-in (cookie) rather than an API key: the audit
/// pack and the two exports, streamed exactly as the <c>/v1/compliance</c> API streams them. The operator is re-read
/// from the database on every download and must still be a compliance officer or administrator.
/// </summary>
public static class ComplianceDownloadEndpoints
{
    public static IEndpointRouteBuilder MapComplianceDownloads(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/console/compliance").RequireAuthorization(ConsolePolicies.Verify).ExcludeFromDescription();
        group.MapGet("/audit-pack", ConsoleAuditPack).WithName(nameof(ConsoleAuditPack));
        group.MapGet("/export/grants", ConsoleExportGrants).WithName(nameof(ConsoleExportGrants));
        group.MapGet("/export/audit", ConsoleExportAudit).WithName(nameof(ConsoleExportAudit));
        return app;
    }

    public static async Task<IResult> ConsoleAuditPack(string? dev, string? since, string? until, HttpContext context,
        OperatorLookup operators, DeveloperService developers, AuditPackWriter packs, TimeProvider time)
    {
        var (who, filter, refusal) = await CheckAsync(dev, since, until, context, operators, developers);
        return refusal ?? new StreamedResult("application/zip", $"grantex-audit-pack-{dev}-{Stamp(time)}.zip",
            (body, ct) => packs.WriteAsync(dev!, filter!, body, who!.Actor, cancellationToken: ct));
    }

    public static async Task<IResult> ConsoleExportGrants(string? dev, string? since, string? until, string? format, HttpContext context,
        OperatorLookup operators, DeveloperService developers, ComplianceService compliance, TimeProvider time)
    {
        var (_, filter, refusal) = await CheckAsync(dev, since, until, context, operators, developers);
        return refusal ?? Export("grants", dev!, format, time, (f, body, ct) => compliance.WriteGrantsExportAsync(dev!, filter!, f, body, ct));
    }

    public static async Task<IResult> ConsoleExportAudit(string? dev, string? since, string? until, string? format, HttpContext context,
        OperatorLookup operators, DeveloperService developers, ComplianceService compliance, TimeProvider time)
    {
        var (_, filter, refusal) = await CheckAsync(dev, since, until, context, operators, developers);
        return refusal ?? Export("audit", dev!, format, time, (f, body, ct) => compliance.WriteAuditExportAsync(dev!, filter!, f, body, ct));
    }

    /// <summary>An export download (<c>grantex-&lt;name&gt;-&lt;dev&gt;-&lt;time&gt;.json|csv</c>) streamed by <paramref name="write"/>.</summary>
    private static StreamedResult Export(string name, string dev, string? format, TimeProvider time, Func<ExportFormat, Stream, CancellationToken, Task> write)
    {
        var csv = format == "csv";
        return new StreamedResult(csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8", $"grantex-{name}-{dev}-{Stamp(time)}.{(csv ? "csv" : "json")}",
            (body, ct) => write(csv ? ExportFormat.Csv : ExportFormat.Json, body, ct));
    }

    private static async Task<(ConsoleOperator? Who, ComplianceFilter? Filter, IResult? Refusal)> CheckAsync(
        string? dev, string? since, string? until, HttpContext context, OperatorLookup operators, DeveloperService developers)
    {
        var who = await operators.ResolveAsync(context.User, context.RequestAborted);
        if (who is null || !who.Can(ConsolePermission.Verify))
        {
            return (null, null, ApiError.From(GxError.Forbidden(ErrorCodes.Forbidden, "Downloads are for compliance officers and administrators.")));
        }

        if (string.IsNullOrEmpty(dev) || await developers.GetAsync(dev, context.RequestAborted) is null)
        {
            return (who, null, ApiError.From(GxError.NotFound("Choose an existing developer.").For("dev")));
        }

        var filter = ComplianceFilter.Parse(since, until);
        return filter.IsSuccess
            ? (who, filter.Value, null)
            : (who, null, ApiError.From(filter.Error));
    }

    private static string Stamp(TimeProvider time) => time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
