namespace Grantex.Core.Agents;

public enum AgentStatus
{
    Active,
    Suspended,

    /// <summary>Deleted through the API: hidden and unusable, kept so grants and audit evidence stay intact.</summary>
    Deleted,
}
