namespace Grantex.Core.Agents;

public sealed class Agent
{
    public required string Id { get; init; }

    public required string DeveloperId { get; init; }

    public required string Name { get; set; }

    public string Description { get; set; } = "";

    /// <summary>Scopes the agent declares it needs (informational; authorize does not restrict to them, as in REF).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Registered redirect URIs; a <c>redirectUri</c> at authorize must match one exactly.</summary>
    public List<string> RedirectUris { get; set; } = [];

    public AgentStatus Status { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Optimistic concurrency token for admin edits.</summary>
    public long Version { get; set; }

    public string Did => Common.Ids.AgentDid(Id);
}
