using System.Globalization;
using System.Text.RegularExpressions;
using Grantex.Console.Api.Contracts;
using Grantex.Console.Infrastructure;
using Grantex.Core.Common;
using Grantex.Core.Principals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Api;

/// <summary>
/// Principal sessions (wire format §7.7): the developer creates a session link for one person with its API key; the
/// person's page (or any client holding the session token) reads and revokes their own grants under
/// <c>/v1/principal</c>. Only a principal session token opens <c>/v1/principal/*</c> — an API key or a grant token there
/// is 401 — and a session token opens nothing else (it is no API key).
/// </summary>
public static partial class PrincipalSessionEndpoints
{
    private const string SessionItem = "gx.principalSession";

    public static IEndpointRouteBuilder MapPrincipalSessionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/principal-sessions", CreatePrincipalSession).WithName(nameof(CreatePrincipalSession)).WithTags("Principal sessions")
            .RequireAuthorization(EndpointConventions.ApiKeyPolicy).RequireRateLimiting(GrantexRateLimiter.PrincipalSessionPolicy).WithErrors(400, 401, 403, 404, 429);

        var principal = app.MapGroup("/v1/principal").WithTags("Principal sessions").AddEndpointFilter(RequireSessionAsync);
        principal.MapGet("/grants", ListPrincipalGrants).WithName(nameof(ListPrincipalGrants)).WithErrors(401);
        principal.MapGet("/audit", ListPrincipalAudit).WithName(nameof(ListPrincipalAudit)).WithErrors(401);
        principal.MapDelete("/grants/{id}", RevokePrincipalGrant).WithName(nameof(RevokePrincipalGrant)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Created<PrincipalSessionResponse>, ApiError>> CreatePrincipalSession(
        PrincipalSessionRequest? body, HttpContext context, PrincipalSessionTokens sessions, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        var result = await sessions.IssueAsync(context.Caller(), body?.PrincipalId, body?.ExpiresIn, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        context.Response.Headers.CacheControl = "no-store";
        var url = PermissionsLink(options.Value.Issuer, result.Value.Token);
        return TypedResults.Created((string?)null, new PrincipalSessionResponse(result.Value.Token, url, result.Value.ExpiresAt));
    }

    /// <summary>
    /// The session link: the token rides in the URL fragment, which browsers never send to a server or put in a
    /// Referer; the page trades it for a cookie at once and removes it from the address bar and history.
    /// </summary>
    public static string PermissionsLink(string issuer, string token) => $"{issuer}/permissions#session={Uri.EscapeDataString(token)}";

    public static async Task<Ok<PrincipalGrantListResponse>> ListPrincipalGrants(HttpContext context, PrincipalPortal portal, CancellationToken cancellationToken)
    {
        var session = Session(context);
        var grants = await portal.GrantsAsync(session, cancellationToken: cancellationToken);
        return TypedResults.Ok(new PrincipalGrantListResponse([.. grants.Select(PrincipalGrantResponse.From)], session.PrincipalId));
    }

    public static async Task<Ok<PrincipalAuditResponse>> ListPrincipalAudit(HttpContext context, PrincipalPortal portal, CancellationToken cancellationToken)
    {
        var entries = await portal.AuditAsync(Session(context), cancellationToken: cancellationToken);
        return TypedResults.Ok(new PrincipalAuditResponse([.. entries.Select(PrincipalAuditEntryResponse.From)]));
    }

    public static async Task<Results<NoContent, ApiError>> RevokePrincipalGrant(string id, HttpContext context, PrincipalPortal portal, CancellationToken cancellationToken)
    {
        var result = await portal.RevokeAsync(Session(context), id, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        context.Response.Headers["Grantex-Revoked-Grants"] = result.Value.ToString(CultureInfo.InvariantCulture);
        return TypedResults.NoContent();
    }

    /// <summary>Only a valid, unexpired principal session token passes; anything else (API keys and grant tokens included) is 401.</summary>
    private static async ValueTask<object?> RequireSessionAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return ApiError.From(new GxError(GxErrorKind.Unauthorized, ErrorCodes.Unauthorized, "Missing session token"));
        }

        var match = Bearer().Match(header);
        var session = match.Success
            ? await context.RequestServices.GetRequiredService<PrincipalSessionTokens>().VerifyAsync(match.Groups[1].Value, context.RequestAborted)
            : null;
        if (session is null)
        {
            return ApiError.From(new GxError(GxErrorKind.Unauthorized, ErrorCodes.Unauthorized, "Invalid or expired session token"));
        }

        context.Items[SessionItem] = session;
        return await next(invocation);
    }

    private static PrincipalSession Session(HttpContext context) => (PrincipalSession)context.Items[SessionItem]!;

    [GeneratedRegex(@"^Bearer[ \t]+(\S+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();
}
