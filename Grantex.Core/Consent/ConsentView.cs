using Grantex.Core.Agents;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Scopes;

namespace Grantex.Core.Consent;

/// <summary>Everything the consent screen shows about a pending request.</summary>
public sealed record ConsentView(AuthRequest Request, Agent Agent, DeveloperInfo Developer)
{
    public IReadOnlyList<ScopeDescription> Scopes => ScopeRegistry.DescribeAll(Request.Scopes);

    /// <summary>Whether answering needs a passkey: the developer's presence rule for these scopes, or always under <c>principalAuthentication: passkey</c>.</summary>
    public bool PresenceRequired => PasskeyIdentifies || ConsentService.PresenceRequired(Developer.PresenceRequirement, Request.Scopes);

    /// <summary>Under <c>principalAuthentication: passkey</c> the passkey identifies the person: Deny needs it too, and only independently enrolled passkeys count.</summary>
    public bool PasskeyIdentifies => Developer.PrincipalAuthentication == IdentityLevel.Passkey;
}
