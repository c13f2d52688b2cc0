using Grantex.Console.Components.Account;
using Grantex.Console.Components.Consent;
using Grantex.Console.Components.Consent.Sso;
using Grantex.Console.Components.Enrolment;
using Grantex.Console.Components.Pages.Agents;
using Grantex.Console.Components.Pages.Anomalies;
using Grantex.Console.Components.Permissions;
using Grantex.Console.Components.Pages.Audit;
using Grantex.Console.Components.Pages.Compliance;
using Grantex.Console.Components.Pages.Developers;
using Grantex.Console.Components.Pages.Grants;
using Grantex.Console.Components.Pages.Keys;
using Grantex.Console.Components.Pages.Overview;
using Grantex.Console.Components.Pages.Policies;
using Grantex.Console.Components.Pages.Webhooks;
using Grantex.Console.Components.Pages.Principals;
using Grantex.Console.Components.Pages.Users;
using Grantex.Console.Components.Shared;

namespace Grantex.Console.Infrastructure;

/// <summary>Registers every console feature (each folder under <c>Components/</c> has one <c>…Feature</c> class).</summary>
public static class GrantexConsoleExtensions
{
    /// <summary>
    /// Call after <c>AddGrantexApi</c>: the account feature replaces its default scheme (the API key) by a scheme that
    /// forwards by path (see <see cref="AccountFeature"/>).
    /// </summary>
    public static IServiceCollection AddGrantexConsole(this IServiceCollection services, IConfiguration configuration) => services
        .AddAccountFeature(configuration)
        .AddConsentFeature()
        .AddSharedConsoleFeature()
        .AddOverviewFeature()
        .AddDevelopersFeature()
        .AddAgentsFeature()
        .AddPoliciesFeature()
        .AddWebhooksFeature()
        .AddAnomaliesFeature()
        .AddPrincipalsFeature()
        .AddGrantsFeature()
        .AddAuditFeature()
        .AddComplianceFeature()
        .AddKeysFeature()
        .AddUsersFeature();

    /// <summary>The first-run gate: call before <c>UseGrantexApi</c>, so it answers before sign-in redirects do.</summary>
    public static WebApplication UseGrantexConsole(this WebApplication app) => app.UseAccountFeature();

    /// <summary>The console's own endpoints: sign-in plumbing, the consent page's identity-provider sign-in, the Compliance downloads, the "My grants" page's forms and the passkey enrolment page's calls.</summary>
    public static WebApplication MapGrantexConsole(this WebApplication app)
    {
        app.MapAccountFeature();
        app.MapConsentSsoEndpoints();
        app.MapComplianceFeature();
        app.MapPermissionsFeature();
        app.MapEnrolmentFeature();
        return app;
    }
}
