using Grantex.Core.Agents;
using Grantex.Core.Consent;
using Grantex.Core.Developers;

namespace Grantex.Console.Tests.Consent;

/// <summary>A pending request as the consent page receives it, with every field a test may want to change.</summary>
internal static class ConsentTestData
{
    public static readonly DateTime Now = new(2026, 11, 22, 20, 0, 0, DateTimeKind.Utc);

    public static ConsentView View(
        IEnumerable<string>? scopes = null,
        string agentName = "Trip Planner",
        string agentDescription = "Books trains and hotels for your trips.",
        string developerName = "Acme Corp",
        string? audience = "https://api.example.com",
        string? redirectUri = "https://app.example.com/callback",
        long lifetimeSeconds = 86400,
        PresenceRequirement presence = PresenceRequirement.Never,
        AuthRequestStatus status = AuthRequestStatus.Pending)
    {
        var request = new AuthRequest
        {
            Id = "areq_01TEST",
            DeveloperId = "dev_01TEST",
            AgentId = "ag_01TEST",
            PrincipalId = "alice@example.com",
            Scopes = [.. scopes ?? ["calendar:read", "email:send"]],
            RedirectUri = redirectUri,
            State = "xyz",
            Audience = audience,
            GrantLifetimeSeconds = lifetimeSeconds,
            Status = status,
            CreatedAt = Now,
            ExpiresAt = Now.AddMinutes(15),
        };
        var agent = new Agent { Id = "ag_01TEST", DeveloperId = "dev_01TEST", Name = agentName, Description = agentDescription, Status = AgentStatus.Active };
        var developer = new DeveloperInfo("dev_01TEST", developerName, null, DeveloperMode.Live, presence, null, Now);
        return new ConsentView(request, agent, developer);
    }
}
