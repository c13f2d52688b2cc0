using Grantex.Core.Common;

namespace Grantex.Core.Audit;

/// <summary>Whom an entry is about: the developer's chain it goes on, and the agent, grant and principal where there are any.</summary>
public sealed record AuditSubject(string DeveloperId, string AgentId = "", string GrantId = "", string PrincipalId = "")
{
    /// <summary>The agent's DID, or empty when the entry names no agent.</summary>
    public string AgentDid => AgentId.Length == 0 ? "" : Ids.AgentDid(AgentId);
}
