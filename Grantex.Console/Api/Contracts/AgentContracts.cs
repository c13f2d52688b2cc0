using Grantex.Core.Agents;

namespace Grantex.Console.Api.Contracts;

public sealed record AgentRequest(string? Name, string? Description, List<string?>? Scopes, List<string?>? RedirectUris, string? Status);

public sealed record AgentResponse(
    string AgentId, string Did, string DeveloperId, string Name, string Description, IReadOnlyList<string> Scopes,
    IReadOnlyList<string> RedirectUris, string Status, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static AgentResponse From(Agent a) => new(
        a.Id, a.Did, a.DeveloperId, a.Name, a.Description, a.Scopes, a.RedirectUris, a.Status.ToString().ToLowerInvariant(), a.CreatedAt, a.UpdatedAt);
}

public sealed record AgentListResponse(IReadOnlyList<AgentResponse> Agents, string? NextCursor);
