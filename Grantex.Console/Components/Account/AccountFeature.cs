using Grantex.Console.Api;
using Grantex.Console.Infrastructure;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Grantex.Console.Components.Account;

/// <summary>
/// The console-account feature in one place: sign-in (static pages, their endpoints, optional OIDC), roles and
/// policies, operator checks, and the first-run gate.
/// </summary>
public static class AccountFeature
{
    /// <summary>The default authentication scheme: forwards to the API key for the API and to the console cookie elsewhere.</summary>
    public const string ForwardingScheme = "Grantex";

    /// <summary>
    /// Console sign-in (ASP.NET Core Identity cookies, passkeys, password with lockout, optional OIDC), roles and the
    /// operator checks every console service makes. Call after <c>AddGrantexApi</c>: this replaces its default scheme
    /// (the API key) by a scheme that forwards by path, so <c>/v1</c> still authenticates only with API keys (a console cookie never
    /// authenticates an API call) and answers 401 in the wire format, while console pages use the cookie.
    /// </summary>
    public static IServiceCollection AddAccountFeature(this IServiceCollection services, IConfiguration configuration)
    {
        var authentication = services.AddAuthentication(o => o.DefaultScheme = ForwardingScheme)
            .AddPolicyScheme(ForwardingScheme, "API key for the API, console cookie elsewhere", o =>
                o.ForwardDefaultSelector = context => GrantexApiExtensions.IsApi(context.Request.Path) ? ApiKeyAuthenticationHandler.SchemeName : IdentityConstants.ApplicationScheme);
        authentication.AddIdentityCookies();
        new IdentityBuilder(typeof(GrantexUser), typeof(IdentityRole), services).AddSignInManager().AddClaimsPrincipalFactory<ConsoleClaimsFactory>();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "gx_console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = ConsolePaths.Login;
            o.LogoutPath = ConsolePaths.Logout;
            o.AccessDeniedPath = ConsolePaths.Denied;
            // A page the role does not allow is refused here (before any page renders) and audited.
            o.Events.OnRedirectToAccessDenied = ConsoleAccessDenial.AuditedRedirect(o.Events.OnRedirectToAccessDenied);
            // Every request re-reads the account (instead of Identity's stamp check once a minute): a sign-out, a new
            // password or passkey, a lock or a role change (all change the security stamp) ends every other session at
            // its next request, even one whose cookie was copied.
            o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
        });
        services.Configure<IdentityOptions>(o =>
        {
            o.Lockout.AllowedForNewUsers = true;
            o.Lockout.MaxFailedAccessAttempts = 5;
            o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            // NIST SP 800-63B: length over composition rules.
            o.Password.RequiredLength = 12;
            o.Password.RequireDigit = false;
            o.Password.RequireLowercase = false;
            o.Password.RequireUppercase = false;
            o.Password.RequireNonAlphanumeric = false;
            o.SignIn.RequireConfirmedAccount = false;
        });
        // Identity's own stamp validator no longer runs for the console cookie (SessionValidation replaces it); any
        // other cookie that uses it checks on every request too.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);

        var oidc = configuration.GetSection(ConsoleOidcOptions.Section).Get<ConsoleOidcOptions>() ?? new ConsoleOidcOptions();
        services.Configure<ConsoleOidcOptions>(configuration.GetSection(ConsoleOidcOptions.Section));
        if (oidc.Enabled)
        {
            AddOidc(authentication, oidc);
        }

        services.AddAuthorizationBuilder().AddConsolePolicies();
        services.AddScoped<AuthenticationStateProvider, OperatorRevalidation>();

        services.AddSingleton<FirstRunState>();
        services.AddSingleton<SetupCode>();
        services.AddHostedService<SetupCodeAtStart>();
        services.AddSingleton<OperatorLookup>();
        services.AddScoped<ConsoleAccounts>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<ConsoleSignInAudit>();
        services.AddScoped<ExternalSignIn>();
        services.AddScoped<OperatorAccess>();
        return services;
    }

    /// <summary>The first-run gate: call before <c>UseGrantexApi</c>, so it answers before sign-in redirects do.</summary>
    public static WebApplication UseAccountFeature(this WebApplication app)
    {
        app.UseMiddleware<FirstRunGate>();
        return app;
    }

    /// <summary>The sign-in endpoints behind the static account pages.</summary>
    public static IEndpointRouteBuilder MapAccountFeature(this IEndpointRouteBuilder app) => app.MapAccountEndpoints();

    private static void AddOidc(Microsoft.AspNetCore.Authentication.AuthenticationBuilder authentication, ConsoleOidcOptions settings)
    {
        if (string.IsNullOrWhiteSpace(settings.Authority) || string.IsNullOrWhiteSpace(settings.ClientId))
        {
            throw new InvalidOperationException($"{ConsoleOidcOptions.Section}: Enabled is true, so Authority and ClientId are required.");
        }

        authentication.AddOpenIdConnect(ConsoleOidcOptions.Scheme, settings.DisplayName, o =>
        {
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.CallbackPath = settings.CallbackPath;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            // Distinct: the configuration binder appends configured array items to any defaults.
            foreach (var scope in (settings.Scopes.Length == 0 ? ["openid", "profile", "email"] : settings.Scopes).Distinct(StringComparer.Ordinal))
            {
                o.Scope.Add(scope);
            }

            o.TokenValidationParameters.NameClaimType = settings.UserNameClaim;
            o.TokenValidationParameters.RoleClaimType = settings.RoleClaim;
            o.Events = new OpenIdConnectEvents
            {
                // A refused or failed round trip ends on the sign-in page with a message, not an exception page.
                OnRemoteFailure = context =>
                {
                    context.Response.Redirect($"{ConsolePaths.Login}?error=external_failed");
                    context.HandleResponse();
                    return Task.CompletedTask;
                },
            };
        });
    }
}
