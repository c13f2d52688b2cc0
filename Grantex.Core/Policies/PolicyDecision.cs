namespace Grantex.Core.Policies;

/// <summary>
/// The outcome of evaluating a developer's policies for one request: the deciding policy (null when none matched),
/// why it matched, how many policies were looked at, and the time (UTC) it was evaluated for.
/// </summary>
public sealed record PolicyDecision(Policy? Policy, string Reason, int Considered, DateTime At)
{
    public PolicyEffect? Effect => Policy?.Effect;

    public bool IsDenied => Effect == PolicyEffect.Deny;

    public bool IsAllowed => Effect == PolicyEffect.Allow;

    /// <summary>The error body's message: the policy by id and name.</summary>
    public string DenialMessage => Policy is null ? "" : $"Authorization denied by policy {Policy.Id} (\"{Policy.Name}\").";
}
