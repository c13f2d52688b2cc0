using Grantex.Console.Api.Contracts;
using Grantex.Console.Components.Consent.Sso;
using Grantex.Core.Common;
using Grantex.Core.Sso;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Api;

/// <summary>
/// SSO in the reference wire format (§7.6): the legacy single config, OIDC connections with domains (SAML and LDAP
/// answer a clear "not supported"), a discovery test, and <c>GET /sso/login?org=…</c>. Unlike the reference, the
/// sign-in itself runs through Microsoft's OpenIdConnect handler in the browser (its redirect URI is each
/// connection's <c>callbackUrl</c>); the reference's JSON callbacks are answered with 400 saying so.
/// </summary>
public static class SsoEndpoints
{
    private const string JsonCallbackNotOffered =
        "This server completes OpenID Connect sign-ins in the browser at each connection's callbackUrl (/sso/oidc/callback/{connectionId}); the JSON callback is not offered.";

    public static IEndpointRouteBuilder MapSsoEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1/sso").WithTags("SSO").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        v1.MapPost("/config", SaveSsoConfig).WithName(nameof(SaveSsoConfig)).WithErrors(400, 401);
        v1.MapGet("/config", GetSsoConfig).WithName(nameof(GetSsoConfig)).WithErrors(401, 404);
        v1.MapDelete("/config", DeleteSsoConfig).WithName(nameof(DeleteSsoConfig)).WithErrors(401, 404, 409);
        v1.MapPost("/connections", CreateSsoConnection).WithName(nameof(CreateSsoConnection)).WithErrors(400, 401, 402);
        v1.MapGet("/connections", ListSsoConnections).WithName(nameof(ListSsoConnections)).WithErrors(401);
        v1.MapGet("/connections/{id}", GetSsoConnection).WithName(nameof(GetSsoConnection)).WithErrors(401, 404);
        v1.MapPatch("/connections/{id}", UpdateSsoConnection).WithName(nameof(UpdateSsoConnection)).WithErrors(400, 401, 404, 409);
        v1.MapDelete("/connections/{id}", DeleteSsoConnection).WithName(nameof(DeleteSsoConnection)).WithErrors(401, 404, 409);
        v1.MapPost("/connections/{id}/test", TestSsoConnection).WithName(nameof(TestSsoConnection)).WithErrors(401, 404, 422);

        var sso = app.MapGroup("/sso").WithTags("SSO").AllowAnonymous().RequireRateLimiting(Infrastructure.GrantexRateLimiter.ConsentPolicy);
        sso.MapGet("/login", SsoLogin).WithName(nameof(SsoLogin)).WithErrors(400, 404);
        sso.MapPost("/callback/oidc", SsoJsonCallback).WithName(nameof(SsoJsonCallback)).DisableAntiforgery().WithErrors(400);
        sso.MapGet("/callback", SsoJsonCallback).WithName("SsoLegacyCallback").WithErrors(400);
        sso.MapPost("/callback/saml", SsoUnsupportedCallback).WithName("SsoSamlCallback").DisableAntiforgery().WithErrors(400);
        sso.MapPost("/callback/ldap", SsoUnsupportedCallback).WithName("SsoLdapCallback").DisableAntiforgery().WithErrors(400);
        return app;
    }

    public static async Task<Results<Created<SsoConfigResponse>, ApiError>> SaveSsoConfig(
        SsoConfigRequest? body, HttpContext context, SsoService sso, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await sso.SaveConfigAsync(caller.Developer.Id,
            new SsoConnectionInput { IssuerUrl = body?.IssuerUrl, ClientId = body?.ClientId, ClientSecret = body?.ClientSecret, RedirectUri = body?.RedirectUri },
            caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Created("/v1/sso/config", SsoConfigResponse.From(result.Value, options.Value.Issuer)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<SsoConfigResponse>, ApiError>> GetSsoConfig(
        HttpContext context, SsoService sso, IOptions<GrantexOptions> options, CancellationToken cancellationToken) =>
        await sso.FindConfigAsync(context.Caller().Developer.Id, cancellationToken) is { } config
            ? TypedResults.Ok(SsoConfigResponse.From(config, options.Value.Issuer))
            : ApiError.From(GxError.NotFound("SSO config not found."));

    public static async Task<Results<NoContent, ApiError>> DeleteSsoConfig(HttpContext context, SsoService sso, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await sso.DeleteAsync(caller.Developer.Id, null, legacy: true, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }

    public static async Task<Results<Created<SsoConnectionResponse>, ApiError>> CreateSsoConnection(
        SsoConnectionRequest? body, HttpContext context, SsoService sso, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await sso.CreateAsync(caller.Developer.Id, body?.ToInput() ?? new SsoConnectionInput(), caller.Actor, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/v1/sso/connections/{result.Value.Id}", SsoConnectionResponse.From(result.Value, options.Value.Issuer))
            : ApiError.From(result.Error);
    }

    public static async Task<Ok<SsoConnectionListResponse>> ListSsoConnections(
        HttpContext context, SsoService sso, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        var list = await sso.ListAsync(context.Caller().Developer.Id, cancellationToken);
        return TypedResults.Ok(new SsoConnectionListResponse([.. list.Select(c => SsoConnectionResponse.From(c, options.Value.Issuer))]));
    }

    public static async Task<Results<Ok<SsoConnectionResponse>, ApiError>> GetSsoConnection(
        string id, HttpContext context, SsoService sso, IOptions<GrantexOptions> options, CancellationToken cancellationToken) =>
        await sso.GetAsync(context.Caller().Developer.Id, id, cancellationToken) is { IsLegacyConfig: false } connection
            ? TypedResults.Ok(SsoConnectionResponse.From(connection, options.Value.Issuer))
            : ApiError.From(GxError.NotFound("SSO connection not found."));

    public static async Task<Results<Ok<SsoConnectionResponse>, ApiError>> UpdateSsoConnection(
        string id, SsoConnectionRequest? body, HttpContext context, SsoService sso, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await sso.UpdateAsync(caller.Developer.Id, id, body?.ToInput() ?? new SsoConnectionInput(), caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(SsoConnectionResponse.From(result.Value, options.Value.Issuer)) : ApiError.From(result.Error);
    }

    public static async Task<Results<NoContent, ApiError>> DeleteSsoConnection(string id, HttpContext context, SsoService sso, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await sso.DeleteAsync(caller.Developer.Id, id, legacy: false, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<SsoTestResponse>, UnprocessableEntity<SsoTestResponse>, ApiError>> TestSsoConnection(
        string id, HttpContext context, SsoService sso, CancellationToken cancellationToken)
    {
        if (await sso.GetAsync(context.Caller().Developer.Id, id, cancellationToken) is not { } connection)
        {
            return ApiError.From(GxError.NotFound("SSO connection not found."));
        }

        var result = SsoTestResponse.From(await sso.TestAsync(connection, cancellationToken));
        return result.Success ? TypedResults.Ok(result) : TypedResults.UnprocessableEntity(result);
    }

    /// <summary>
    /// <c>GET /sso/login?org=&lt;developerId&gt;&amp;domain=…</c>: 400 without <c>org</c>, 404 without an active connection,
    /// else the browser goes to the provider (the reference answers JSON with the URL instead) and comes back to a
    /// JSON answer saying who signed in.
    /// </summary>
    public static async Task<IResult> SsoLogin(string? org, string? domain, SsoService sso, ConsentSsoConnections connections, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(org))
        {
            return ApiError.From(GxError.BadRequest("org query parameter is required", "org"));
        }

        var connection = org.Length <= 40 ? await sso.ForPrincipalAsync(org, domain is { Length: > 0 and <= 253 } ? "user@" + domain : "", cancellationToken) : null;
        if (connection is null || await connections.LoadAsync(connection.Id, cancellationToken) is null)
        {
            return ApiError.From(GxError.NotFound("SSO not configured for this org"));
        }

        return Results.Challenge(new AuthenticationProperties(), [ConsentSsoSchemes.SchemeFor(connection.Id)]);
    }

    public static ApiError SsoJsonCallback() => ApiError.From(GxError.BadRequest(JsonCallbackNotOffered));

    public static ApiError SsoUnsupportedCallback(HttpContext context) => ApiError.From(GxError.BadRequest(
        $"{(context.Request.Path.Value!.EndsWith("saml", StringComparison.Ordinal) ? "SAML" : "LDAP")} sign-in is not supported by this server; connect your identity provider over OpenID Connect."));
}
