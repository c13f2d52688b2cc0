using System.Globalization;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Compliance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// Compliance (wire format §7.4): summary, grant and audit exports (JSON or CSV), the evidence pack; and beyond REF,
/// signed audit packs and chain checkpoints (api.md, Compliance and audit packs). Every report streams.
/// </summary>
public static class ComplianceEndpoints
{
    private const string Json = "application/json; charset=utf-8";
    private const string Csv = "text/csv; charset=utf-8";

    public static IEndpointRouteBuilder MapComplianceEndpoints(this IEndpointRouteBuilder app)
    {
        var compliance = app.MapGroup("/v1/compliance").WithTags("Compliance").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        compliance.MapGet("/summary", GetComplianceSummary).WithName(nameof(GetComplianceSummary)).WithErrors(400, 401);
        compliance.MapGet("/export/grants", ExportGrants).WithName(nameof(ExportGrants)).WithErrors(400, 401)
            .Produces(StatusCodes.Status200OK, contentType: "application/json", additionalContentTypes: "text/csv");
        compliance.MapGet("/export/audit", ExportAudit).WithName(nameof(ExportAudit)).WithErrors(400, 401)
            .Produces(StatusCodes.Status200OK, contentType: "application/json", additionalContentTypes: "text/csv");
        compliance.MapGet("/evidence-pack", GetEvidencePack).WithName(nameof(GetEvidencePack)).WithErrors(400, 401)
            .Produces(StatusCodes.Status200OK, contentType: "application/json");
        compliance.MapGet("/audit-pack", DownloadAuditPack).WithName(nameof(DownloadAuditPack)).WithErrors(400, 401)
            .Produces(StatusCodes.Status200OK, contentType: "application/zip");
        compliance.MapPost("/checkpoints", CreateCheckpoint).WithName(nameof(CreateCheckpoint)).WithErrors(400, 401, 409);
        compliance.MapGet("/checkpoints", ListCheckpoints).WithName(nameof(ListCheckpoints)).WithErrors(400, 401);
        compliance.MapGet("/checkpoints/{id}", GetCheckpoint).WithName(nameof(GetCheckpoint)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Ok<ComplianceSummary>, ApiError>> GetComplianceSummary(
        string? since, string? until, HttpContext context, ComplianceService compliance, CancellationToken cancellationToken)
    {
        var filter = ComplianceFilter.Parse(since, until);
        return filter.IsSuccess
            ? TypedResults.Ok(await compliance.GetSummaryAsync(context.Caller().Developer.Id, filter.Value, cancellationToken))
            : ApiError.From(filter.Error);
    }

    /// <summary>Grants issued in the window, newest first; CSV with <c>format=csv</c> or <c>Accept: text/csv</c>.</summary>
    public static Results<StreamedResult, ApiError> ExportGrants(
        string? since, string? until, string? agentId, string? status, string? format, HttpContext context, ComplianceService compliance, TimeProvider time)
    {
        var filter = ComplianceFilter.Parse(since, until, agentId, status, ComplianceFilter.GrantStatuses);
        var chosen = ChooseFormat(format, context.Request);
        if (!filter.IsSuccess || !chosen.IsSuccess)
        {
            return ApiError.From(filter.Error ?? chosen.Error!);
        }

        var developerId = context.Caller().Developer.Id;
        var csv = chosen.Value == ExportFormat.Csv;
        return new StreamedResult(csv ? Csv : Json, csv ? $"grantex-grants-{Stamp(time)}.csv" : null,
            (body, ct) => compliance.WriteGrantsExportAsync(developerId, filter.Value, chosen.Value, body, ct));
    }

    /// <summary>Audit entries in the window, in chain order; CSV with <c>format=csv</c> or <c>Accept: text/csv</c>.</summary>
    public static Results<StreamedResult, ApiError> ExportAudit(
        string? since, string? until, string? agentId, string? status, string? format, HttpContext context, ComplianceService compliance, TimeProvider time)
    {
        var filter = ComplianceFilter.Parse(since, until, agentId, status, ComplianceFilter.AuditStatuses);
        var chosen = ChooseFormat(format, context.Request);
        if (!filter.IsSuccess || !chosen.IsSuccess)
        {
            return ApiError.From(filter.Error ?? chosen.Error!);
        }

        var developerId = context.Caller().Developer.Id;
        var csv = chosen.Value == ExportFormat.Csv;
        return new StreamedResult(csv ? Csv : Json, csv ? $"grantex-audit-{Stamp(time)}.csv" : null,
            (body, ct) => compliance.WriteAuditExportAsync(developerId, filter.Value, chosen.Value, body, ct));
    }

    /// <summary>REF's evidence pack with <c>chainIntegrity</c>, which also reports checkpoint consistency.</summary>
    public static Results<StreamedResult, ApiError> GetEvidencePack(string? since, string? until, string? framework, HttpContext context, ComplianceService compliance)
    {
        var filter = ComplianceFilter.Parse(since, until);
        if (!filter.IsSuccess)
        {
            return ApiError.From(filter.Error);
        }

        framework = string.IsNullOrEmpty(framework) ? "all" : framework;
        if (!ComplianceService.Frameworks.Contains(framework))
        {
            return ApiError.From(GxError.BadRequest($"framework must be one of {string.Join(", ", ComplianceService.Frameworks)}.", "framework"));
        }

        var developerId = context.Caller().Developer.Id;
        return new StreamedResult(Json, null, (body, ct) => compliance.WriteEvidencePackAsync(developerId, filter.Value, framework, body, ct));
    }

    /// <summary>One zip: entries, grants, agents, policies, verification, checkpoints, JWKS and a signed manifest.</summary>
    public static Results<StreamedResult, ApiError> DownloadAuditPack(string? since, string? until, HttpContext context, AuditPackWriter packs, TimeProvider time)
    {
        var filter = ComplianceFilter.Parse(since, until);
        if (!filter.IsSuccess)
        {
            return ApiError.From(filter.Error);
        }

        var caller = context.Caller();
        return new StreamedResult("application/zip", $"grantex-audit-pack-{caller.Developer.Id}-{Stamp(time)}.zip",
            (body, ct) => packs.WriteAsync(caller.Developer.Id, filter.Value, body, caller.Actor, cancellationToken: ct));
    }

    /// <summary>Signs a checkpoint of the caller's chain now (the schedule does the same for every grown chain).</summary>
    public static async Task<Results<Created<CheckpointResponse>, ApiError>> CreateCheckpoint(HttpContext context, CheckpointService checkpoints, CancellationToken cancellationToken)
    {
        var result = await checkpoints.CreateAsync(context.Caller().Developer.Id, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/v1/compliance/checkpoints/{result.Value.Id}", CheckpointResponse.From(result.Value))
            : ApiError.From(result.Error);
    }

    /// <summary>The caller's checkpoints, newest first, keyset-paginated.</summary>
    public static async Task<Results<Ok<CheckpointListResponse>, ApiError>> ListCheckpoints(
        string? cursor, int? pageSize, HttpContext context, CheckpointService checkpoints, CancellationToken cancellationToken)
    {
        var paging = EndpointConventions.Paging(cursor, pageSize);
        if (!paging.IsSuccess)
        {
            return ApiError.From(paging.Error);
        }

        var page = await checkpoints.ListAsync(context.Caller().Developer.Id, paging.Value.After, paging.Value.Size, cancellationToken);
        return TypedResults.Ok(new CheckpointListResponse([.. page.Items.Select(CheckpointResponse.From)], page.NextCursor));
    }

    public static async Task<Results<Ok<CheckpointResponse>, ApiError>> GetCheckpoint(string id, HttpContext context, CheckpointService checkpoints, CancellationToken cancellationToken)
    {
        var checkpoint = id.Length > 40 ? null : await checkpoints.GetAsync(context.Caller().Developer.Id, id, cancellationToken);
        return checkpoint is null ? ApiError.From(GxError.NotFound("Checkpoint not found.")) : TypedResults.Ok(CheckpointResponse.From(checkpoint));
    }

    /// <summary><c>format=json|csv</c> wins; otherwise CSV when the Accept header asks for text/csv.</summary>
    private static Result<ExportFormat> ChooseFormat(string? format, HttpRequest request)
    {
        switch (format)
        {
            case null or "":
                var accept = request.GetTypedHeaders().Accept;
                return accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)) ? ExportFormat.Csv : ExportFormat.Json;
            case "json":
                return ExportFormat.Json;
            case "csv":
                return ExportFormat.Csv;
            default:
                return GxError.BadRequest("format must be json or csv.");
        }
    }

    private static string Stamp(TimeProvider time) => time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
