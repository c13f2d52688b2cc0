using System.Text.Json.Nodes;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Policies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// Policies (wire format §7.1): CRUD per developer (another developer's policy is 404) and a side-effect-free dry run
/// (<c>POST /v1/policies/evaluate</c>). Evaluation itself happens in authorize and delegation.
/// </summary>
public static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/v1/policies").WithTags("Policies").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        policies.MapPost("", CreatePolicy).WithName(nameof(CreatePolicy)).WithErrors(400, 401, 402);
        policies.MapGet("", ListPolicies).WithName(nameof(ListPolicies)).WithErrors(401);
        policies.MapPost("/evaluate", EvaluatePolicies).WithName(nameof(EvaluatePolicies)).WithErrors(400, 401, 404);
        policies.MapGet("/{id}", GetPolicy).WithName(nameof(GetPolicy)).WithErrors(401, 404);
        policies.MapPatch("/{id}", UpdatePolicy).WithName(nameof(UpdatePolicy)).WithErrors(400, 401, 404);
        policies.MapDelete("/{id}", DeletePolicy).WithName(nameof(DeletePolicy)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Created<PolicyResponse>, ApiError>> CreatePolicy(
        JsonObject? body, HttpContext context, PolicyService policies, CancellationToken cancellationToken)
    {
        var input = PolicyBody.Read(body);
        if (!input.IsSuccess)
        {
            return ApiError.From(input.Error);
        }

        var caller = context.Caller();
        var result = await policies.CreateAsync(caller.Developer.Id, input.Value, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/v1/policies/{result.Value.Id}", PolicyResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Ok<PolicyListResponse>> ListPolicies(HttpContext context, PolicyService policies, CancellationToken cancellationToken)
    {
        var list = await policies.ListAsync(context.Caller().Developer.Id, cancellationToken);
        return TypedResults.Ok(new PolicyListResponse([.. list.Select(PolicyResponse.From)], list.Count));
    }

    public static async Task<Results<Ok<PolicyResponse>, ApiError>> GetPolicy(string id, HttpContext context, PolicyService policies, CancellationToken cancellationToken)
    {
        var policy = await policies.GetAsync(context.Caller().Developer.Id, id, cancellationToken);
        return policy is null ? ApiError.From(GxError.NotFound("Policy not found.")) : TypedResults.Ok(PolicyResponse.From(policy));
    }

    public static async Task<Results<Ok<PolicyResponse>, ApiError>> UpdatePolicy(
        string id, JsonObject? body, HttpContext context, PolicyService policies, CancellationToken cancellationToken)
    {
        var input = PolicyBody.Read(body);
        if (!input.IsSuccess)
        {
            return ApiError.From(input.Error);
        }

        var caller = context.Caller();
        var result = await policies.UpdateAsync(caller.Developer.Id, id, input.Value, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(PolicyResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<NoContent, ApiError>> DeletePolicy(string id, HttpContext context, PolicyService policies, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await policies.DeleteAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<PolicyEvaluateResponse>, ApiError>> EvaluatePolicies(
        PolicyEvaluateRequest? body, HttpContext context, PolicyService policies, CancellationToken cancellationToken)
    {
        var at = EndpointConventions.ParseTime(body?.Time, out var invalidTime);
        if (invalidTime)
        {
            return ApiError.From(GxError.BadRequest("time must be an ISO-8601 date-time, e.g. 2026-03-01T22:30:00Z."));
        }

        var caller = context.Caller();
        var result = await policies.DryRunAsync(caller.Developer.Id, body?.AgentId, body?.PrincipalId, body?.Scopes, at, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var d = result.Value;
        var outcome = d.IsDenied ? "denied" : d.IsAllowed || caller.Developer.IsSandbox ? "approved" : "consent";
        var reason = d.Policy is null && caller.Developer.IsSandbox ? d.Reason + " Sandbox keys are approved at once." : d.Reason;
        return TypedResults.Ok(new PolicyEvaluateResponse(
            d.Effect is { } e ? PolicyService.EffectName(e) : "none", outcome, d.Policy is null ? null : PolicyResponse.From(d.Policy), reason, d.At, d.Considered));
    }
}
