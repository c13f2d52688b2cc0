using Grantex.Core.Agents;
using Grantex.Core.Developers;
using Grantex.Core.Scopes;

namespace Grantex.Core.Consent;

/// <summary>Everything the consent screen shows about a pending request.</summary>
public sealed record ConsentView(AuthRequest Request, Agent Agent, DeveloperInfo Developer)
{
    public IReadOnlyList<ScopeDescription> Scopes => ScopeRegistry.DescribeAll(Request.Scopes);

    public bool PresenceRequired => ConsentService.PresenceRequired(Developer.PresenceRequirement, Request.Scopes);
}
