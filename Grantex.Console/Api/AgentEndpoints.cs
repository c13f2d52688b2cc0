using Grantex.Console.Api.Contracts;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>Agents CRUD (wire format §3.3). DELETE revokes the agent's grants and hides it; evidence is kept.</summary>
public static class AgentEndpoints
{
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        var agents = app.MapGroup("/v1/agents").WithTags("Agents").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        agents.MapPost("", CreateAgent).WithName(nameof(CreateAgent)).WithErrors(400, 401);
        agents.MapGet("", ListAgents).WithName(nameof(ListAgents)).WithErrors(400, 401);
        agents.MapGet("/{id}", GetAgent).WithName(nameof(GetAgent)).WithErrors(401, 404);
        agents.MapPatch("/{id}", UpdateAgent).WithName(nameof(UpdateAgent)).WithErrors(400, 401, 404, 409);
        agents.MapDelete("/{id}", DeleteAgent).WithName(nameof(DeleteAgent)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Created<AgentResponse>, ApiError>> CreateAgent(AgentRequest? body, HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await agents.CreateAsync(caller.Developer.Id, new AgentInput(body?.Name, body?.Description, body?.Scopes, body?.RedirectUris), caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Created($"/v1/agents/{result.Value.Id}", AgentResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<AgentListResponse>, ApiError>> ListAgents(
        string? cursor, int? pageSize, HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        var paging = EndpointConventions.Paging(cursor, pageSize);
        if (!paging.IsSuccess)
        {
            return ApiError.From(paging.Error);
        }

        var page = await agents.ListAsync(context.Caller().Developer.Id, paging.Value.After, paging.Value.Size, cancellationToken);
        return TypedResults.Ok(new AgentListResponse([.. page.Items.Select(AgentResponse.From)], page.NextCursor));
    }

    public static async Task<Results<Ok<AgentResponse>, ApiError>> GetAgent(string id, HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        var agent = await agents.GetAsync(context.Caller().Developer.Id, id, cancellationToken);
        return agent is null ? ApiError.From(GxError.NotFound("Agent not found.")) : TypedResults.Ok(AgentResponse.From(agent));
    }

    public static async Task<Results<Ok<AgentResponse>, ApiError>> UpdateAgent(
        string id, AgentRequest? body, HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        AgentStatus? status = body?.Status switch
        {
            null => null,
            "active" => AgentStatus.Active,
            "suspended" => AgentStatus.Suspended,
            _ => AgentStatus.Deleted,
        };
        var caller = context.Caller();
        var result = await agents.UpdateAsync(caller.Developer.Id, id,
            new AgentInput(body?.Name, body?.Description, body?.Scopes, body?.RedirectUris, status), caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(AgentResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<NoContent, ApiError>> DeleteAgent(string id, HttpContext context, AgentService agents, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await agents.DeleteAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        context.Response.Headers["Grantex-Revoked-Grants"] = result.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }
}
