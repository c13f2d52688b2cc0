using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Principals;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Api;

/// <summary>
/// SCIM (wire format §7.5, RFC 7643/7644). SCIM tokens are managed with the developer's API key under
/// <c>/v1/scim/tokens</c>; the identity provider calls <c>/scim/v2</c> with a SCIM token (an API key there is 401, as a
/// SCIM token is on <c>/v1</c>). Users are the principal directory: deactivating or deleting one revokes the principal's
/// grants and blocks new ones (<see cref="PrincipalDirectory"/>).
/// </summary>
public static partial class ScimEndpoints
{
    private const string CallerItem = "gx.scimCaller";
    private const int MaxDepth = 16;

    public static IEndpointRouteBuilder MapScimEndpoints(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/v1/scim/tokens").WithTags("SCIM").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        tokens.MapPost("", CreateScimToken).WithName(nameof(CreateScimToken)).WithErrors(400, 401);
        tokens.MapGet("", ListScimTokens).WithName(nameof(ListScimTokens)).WithErrors(401);
        tokens.MapDelete("/{id}", RevokeScimToken).WithName(nameof(RevokeScimToken)).WithErrors(401, 404);

        var open = app.MapGroup("/scim/v2").WithTags("SCIM");
        open.MapGet("/ServiceProviderConfig", GetServiceProviderConfig).WithName(nameof(GetServiceProviderConfig));
        open.MapGet("/ResourceTypes", GetResourceTypes).WithName(nameof(GetResourceTypes));
        open.MapGet("/Schemas", GetSchemas).WithName(nameof(GetSchemas));

        var users = app.MapGroup("/scim/v2/Users").WithTags("SCIM").AddEndpointFilter(RequireScimTokenAsync);
        users.MapGet("", ListScimUsers).WithName(nameof(ListScimUsers));
        users.MapPost("", CreateScimUser).WithName(nameof(CreateScimUser));
        users.MapGet("/{id}", GetScimUser).WithName(nameof(GetScimUser));
        users.MapPut("/{id}", ReplaceScimUser).WithName(nameof(ReplaceScimUser));
        users.MapPatch("/{id}", PatchScimUser).WithName(nameof(PatchScimUser));
        users.MapDelete("/{id}", DeleteScimUser).WithName(nameof(DeleteScimUser));
        return app;
    }

    public static async Task<Results<Created<ScimTokenCreatedResponse>, ApiError>> CreateScimToken(
        ScimTokenCreateRequest? body, HttpContext context, ScimTokenService tokens, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await tokens.CreateAsync(caller.Developer.Id, body?.Label, caller.Actor, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var (token, secret) = result.Value;
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/scim/tokens/{token.Id}", new ScimTokenCreatedResponse(token.Id, token.Label, secret, token.CreatedAt));
    }

    public static async Task<Ok<ScimTokenListResponse>> ListScimTokens(HttpContext context, ScimTokenService tokens, CancellationToken cancellationToken)
    {
        var list = await tokens.ListAsync(context.Caller().Developer.Id, cancellationToken);
        return TypedResults.Ok(new ScimTokenListResponse([.. list.Select(ScimTokenResponse.From)]));
    }

    public static async Task<Results<NoContent, ApiError>> RevokeScimToken(string id, HttpContext context, ScimTokenService tokens, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await tokens.RevokeAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }

    public static ScimResult GetServiceProviderConfig(IOptions<GrantexOptions> options) => ScimResult.Ok(ScimResources.ServiceProviderConfig(options.Value.Issuer));

    public static ScimResult GetResourceTypes(IOptions<GrantexOptions> options) => ScimResult.Ok(ScimResources.ResourceTypes(options.Value.Issuer));

    public static ScimResult GetSchemas(IOptions<GrantexOptions> options) => ScimResult.Ok(ScimResources.Schemas(options.Value.Issuer));

    public static async Task<ScimResult> ListScimUsers(
        string? filter, string? startIndex, string? count, HttpContext context, PrincipalDirectory directory, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        // RFC 7644 §3.4.2.4: startIndex below 1 is read as 1, a negative count as 0; the page is capped at maxResults.
        if (!TryInt(startIndex, 1, out var start) || !TryInt(count, ScimRules.DefaultCount, out var size))
        {
            return ScimResult.Error(StatusCodes.Status400BadRequest, "startIndex and count must be integers.", ScimRules.InvalidValue);
        }

        var parsed = ScimFilter.Parse(filter);
        if (!parsed.IsSuccess)
        {
            return ScimResult.From(parsed.Error);
        }

        var page = await directory.ListAsync(Caller(context).DeveloperId, parsed.Value, Math.Max(1, start), Math.Clamp(size, 0, ScimRules.MaxCount), cancellationToken);
        return ScimResult.Ok(ScimResources.List(page, options.Value.Issuer));
    }

    public static async Task<ScimResult> CreateScimUser(HttpContext context, PrincipalDirectory directory, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        using var body = await ReadAsync(context, cancellationToken);
        if (body is null)
        {
            return ScimResult.Error(StatusCodes.Status400BadRequest, "The body must be JSON (application/scim+json).", ScimRules.InvalidSyntax);
        }

        var input = ScimUserInput.Read(body.RootElement);
        if (!input.IsSuccess)
        {
            return ScimResult.From(input.Error);
        }

        var result = await directory.CreateAsync(Caller(context), input.Value, cancellationToken);
        return result.IsSuccess
            ? ScimResult.Created(ScimResources.User(result.Value, options.Value.Issuer), $"{options.Value.Issuer}/scim/v2/Users/{result.Value.Id}")
            : ScimResult.From(result.Error);
    }

    public static async Task<ScimResult> GetScimUser(string id, HttpContext context, PrincipalDirectory directory, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        var user = await directory.GetAsync(Caller(context).DeveloperId, id, cancellationToken);
        return user is null ? ScimResult.From(ScimErrors.UserNotFound()) : ScimResult.Ok(ScimResources.User(user, options.Value.Issuer));
    }

    public static async Task<ScimResult> ReplaceScimUser(string id, HttpContext context, PrincipalDirectory directory, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        using var body = await ReadAsync(context, cancellationToken);
        if (body is null)
        {
            return ScimResult.Error(StatusCodes.Status400BadRequest, "The body must be JSON (application/scim+json).", ScimRules.InvalidSyntax);
        }

        var input = ScimUserInput.Read(body.RootElement);
        if (!input.IsSuccess)
        {
            return ScimResult.From(input.Error);
        }

        var result = await directory.ReplaceAsync(Caller(context), id, input.Value, cancellationToken);
        return result.IsSuccess ? ScimResult.Ok(ScimResources.User(result.Value, options.Value.Issuer)) : ScimResult.From(result.Error);
    }

    public static async Task<ScimResult> PatchScimUser(string id, HttpContext context, PrincipalDirectory directory, IOptions<GrantexOptions> options, CancellationToken cancellationToken)
    {
        using var body = await ReadAsync(context, cancellationToken);
        if (body is null)
        {
            return ScimResult.Error(StatusCodes.Status400BadRequest, "The body must be JSON (application/scim+json).", ScimRules.InvalidSyntax);
        }

        var result = await directory.PatchAsync(Caller(context), id, body.RootElement, cancellationToken);
        return result.IsSuccess ? ScimResult.Ok(ScimResources.User(result.Value, options.Value.Issuer)) : ScimResult.From(result.Error);
    }

    public static async Task<ScimResult> DeleteScimUser(string id, HttpContext context, PrincipalDirectory directory, CancellationToken cancellationToken)
    {
        var result = await directory.DeleteAsync(Caller(context), id, cancellationToken);
        if (!result.IsSuccess)
        {
            return ScimResult.From(result.Error);
        }

        context.Response.Headers["Grantex-Revoked-Grants"] = result.Value.ToString(CultureInfo.InvariantCulture);
        return ScimResult.NoContent();
    }

    /// <summary>The SCIM token gate: a missing, malformed, unknown or revoked token (an API key included) is a SCIM 401.</summary>
    private static async ValueTask<object?> RequireScimTokenAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var match = Bearer().Match(context.Request.Headers.Authorization.ToString());
        var caller = match.Success
            ? await context.RequestServices.GetRequiredService<ScimTokenService>().AuthenticateAsync(match.Groups[1].Value, context.RequestAborted)
            : null;
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return ScimResult.Error(StatusCodes.Status401Unauthorized, match.Success ? "Invalid SCIM token" : "Missing or invalid Authorization header", "unauthorized");
        }

        context.Items[CallerItem] = caller;
        return await next(invocation);
    }

    private static ScimCaller Caller(HttpContext context) => (ScimCaller)context.Items[CallerItem]!;

    /// <summary>The request body as JSON (application/scim+json or application/json), or null when it is not JSON.</summary>
    private static async Task<JsonDocument?> ReadAsync(HttpContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryInt(string? text, int fallback, out int value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            value = (int)Math.Clamp(parsed, int.MinValue, int.MaxValue);
            return true;
        }

        value = 0;
        return false;
    }

    [GeneratedRegex(@"^Bearer[ \t]+(\S+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Bearer();
}
