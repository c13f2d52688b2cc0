using Grantex.Console.Api.Contracts;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Compliance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>The audit log (wire format §3.11) and chain verification. There is no route that changes or deletes an entry.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/v1/audit").WithTags("Audit").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        audit.MapPost("/log", LogAuditEntry).WithName(nameof(LogAuditEntry)).WithErrors(400, 401);
        audit.MapGet("/entries", ListAuditEntries).WithName(nameof(ListAuditEntries)).WithErrors(400, 401);
        audit.MapGet("/verify", VerifyAuditChain).WithName(nameof(VerifyAuditChain)).WithErrors(401);
        audit.MapGet("/{id}", GetAuditEntry).WithName(nameof(GetAuditEntry)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Created<AuditEntryResponse>, ApiError>> LogAuditEntry(AuditLogRequest? body, HttpContext context, AuditService audit, CancellationToken cancellationToken)
    {
        var input = new AuditLogInput(body?.AgentId, body?.AgentDid, body?.GrantId, body?.PrincipalId, body?.Action, body?.Status, body?.Metadata);
        var result = await audit.LogAsync(context.Caller(), input, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/v1/audit/{result.Value.Id}", AuditEntryResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<AuditListResponse>, ApiError>> ListAuditEntries(
        string? agentId, string? grantId, string? principalId, string? action, string? status, string? since, string? until, string? cursor, int? pageSize,
        HttpContext context, AuditService audit, CancellationToken cancellationToken)
    {
        var paging = EndpointConventions.Paging(cursor, pageSize);
        if (!paging.IsSuccess)
        {
            return ApiError.From(paging.Error);
        }

        var from = EndpointConventions.ParseTime(since, out var badSince);
        var to = EndpointConventions.ParseTime(until, out var badUntil);
        if (badSince || badUntil)
        {
            return ApiError.From(GxError.BadRequest("since and until must be ISO-8601 times.", [.. EndpointConventions.Invalid(("since", badSince), ("until", badUntil))]));
        }

        var filter = new AuditFilter(agentId, grantId, principalId, action, status, from, to);
        var page = await audit.ListAsync(context.Caller().Developer.Id, filter, paging.Value.After, paging.Value.Size, cancellationToken: cancellationToken);
        return TypedResults.Ok(new AuditListResponse([.. page.Items.Select(AuditEntryResponse.From)], page.NextCursor));
    }

    public static async Task<Results<Ok<AuditEntryResponse>, ApiError>> GetAuditEntry(string id, HttpContext context, AuditService audit, CancellationToken cancellationToken)
    {
        var entry = await audit.GetAsync(context.Caller().Developer.Id, id, cancellationToken);
        return entry is null ? ApiError.From(GxError.NotFound("Audit entry not found.")) : TypedResults.Ok(AuditEntryResponse.From(entry));
    }

    /// <summary>
    /// Walks the caller's whole chain and names the first broken entry and why, then compares it with the latest signed
    /// checkpoint, which reveals a tail cut off or a chain rewritten wholesale (reason <c>truncated</c> / <c>rewritten</c>).
    /// </summary>
    public static async Task<Ok<ChainIntegrityResponse>> VerifyAuditChain(HttpContext context, ComplianceService compliance, CancellationToken cancellationToken) =>
        TypedResults.Ok(ChainIntegrityResponse.From(await compliance.VerifyChainAsync(context.Caller().Developer.Id, cancellationToken)));
}
