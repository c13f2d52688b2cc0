using Grantex.Core.Grants;

namespace Grantex.Core.Principals;

/// <summary>One active grant of a principal with the agent that holds it (name and description as registered).</summary>
public sealed record PrincipalGrant(Grant Grant, string? AgentName, string? AgentDescription);
