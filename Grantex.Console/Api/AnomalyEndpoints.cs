using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Anomalies;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// Anomalies (wire format §7.3, api.md "Webhooks, anomalies"): detection on demand, the filtered list, and
/// acknowledgement with who and an optional note. Another developer's anomaly is 404. Detection also runs in the
/// background (<see cref="AnomalyDetector"/>); docs/decisions/anomalies.md defines the rules.
/// </summary>
public static class AnomalyEndpoints
{
    public static IEndpointRouteBuilder MapAnomalyEndpoints(this IEndpointRouteBuilder app)
    {
        var anomalies = app.MapGroup("/v1/anomalies").WithTags("Anomalies").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        anomalies.MapPost("/detect", DetectAnomalies).WithName(nameof(DetectAnomalies)).WithErrors(401);
        anomalies.MapGet("", ListAnomalies).WithName(nameof(ListAnomalies)).WithErrors(400, 401);
        anomalies.MapPatch("/{id}/acknowledge", AcknowledgeAnomaly).WithName(nameof(AcknowledgeAnomaly)).WithErrors(400, 401, 404);
        return app;
    }

    public static async Task<Ok<AnomalyDetectResponse>> DetectAnomalies(HttpContext context, AnomalyService anomalies, CancellationToken cancellationToken)
    {
        var result = await anomalies.DetectAsync(context.Caller().Developer.Id, cancellationToken);
        return TypedResults.Ok(AnomalyDetectResponse.From(result));
    }

    public static async Task<Results<Ok<AnomalyListResponse>, ApiError>> ListAnomalies(
        HttpContext context, AnomalyService anomalies, string? unacknowledged, string? type, string? severity, string? agentId, string? since,
        string? cursor, int? pageSize, CancellationToken cancellationToken)
    {
        var filter = AnomalyFilter.Parse(unacknowledged, type, severity, agentId, since);
        if (!filter.IsSuccess)
        {
            return ApiError.From(filter.Error);
        }

        var paging = EndpointConventions.Paging(cursor, pageSize);
        if (!paging.IsSuccess)
        {
            return ApiError.From(paging.Error);
        }

        var (page, total) = await anomalies.ListAsync(context.Caller().Developer.Id, filter.Value, paging.Value.After, paging.Value.Size, cancellationToken);
        return TypedResults.Ok(new AnomalyListResponse([.. page.Items.Select(AnomalyData.From)], total, page.NextCursor));
    }

    /// <summary>Any body is accepted as the reference does; a <c>notes</c> string in it is kept (bounded).</summary>
    public static async Task<Results<Ok<AnomalyData>, ApiError>> AcknowledgeAnomaly(
        string id, JsonObject? body, HttpContext context, AnomalyService anomalies, CancellationToken cancellationToken)
    {
        string? notes = null;
        if (body?["notes"] is { } node)
        {
            if (node.GetValueKind() != JsonValueKind.String)
            {
                return ApiError.From(GxError.BadRequest("notes must be a string.", "notes"));
            }

            notes = node.GetValue<string>();
        }

        var caller = context.Caller();
        var result = await anomalies.AcknowledgeAsync(caller.Developer.Id, id, caller.Actor, notes, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(AnomalyData.From(result.Value)) : ApiError.From(result.Error);
    }
}
