namespace Grantex.Core.Agents;

/// <summary>Fields to create or change an agent; null leaves a field unchanged on update.</summary>
public sealed record AgentInput(
    string? Name,
    string? Description,
    IReadOnlyList<string?>? Scopes,
    IReadOnlyList<string?>? RedirectUris,
    AgentStatus? Status = null,
    long? ExpectedVersion = null);
