using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Core.Common;
using Grantex.Core.OAuth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Grantex.Console.Api;

/// <summary>
/// The standard OAuth 2.1 front for MCP clients (docs/decisions/oauth-front.md): RFC 8414 metadata, RFC 7591/7592
/// registration, the authorization endpoint (RFC 6749 §4.1 with PKCE S256 and RFC 8707 resources), the token endpoint,
/// RFC 7662 introspection and RFC 7009 revocation — answering in OAuth's own formats, not the Grantex error body. The
/// developer's side (initial access tokens, resources) is under <c>/v1/oauth</c> with an API key.
/// </summary>
public static class OAuthEndpoints
{
    public const string MetadataPath = "/.well-known/oauth-authorization-server";

    public static IEndpointRouteBuilder MapOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(MetadataPath, OAuthMetadata).WithName(nameof(OAuthMetadata)).WithTags("OAuth").DisableRateLimiting();
        var oauth = app.MapGroup("/oauth").WithTags("OAuth");
        oauth.MapGet("/authorize", OAuthAuthorize).WithName(nameof(OAuthAuthorize));
        oauth.MapPost("/token", OAuthToken).WithName(nameof(OAuthToken)).DisableAntiforgery();
        oauth.MapPost("/introspect", OAuthIntrospect).WithName(nameof(OAuthIntrospect)).DisableAntiforgery();
        oauth.MapPost("/revoke", OAuthRevoke).WithName(nameof(OAuthRevoke)).DisableAntiforgery();
        oauth.MapPost("/register", OAuthRegister).WithName(nameof(OAuthRegister)).DisableAntiforgery();
        oauth.MapGet("/register/{clientId}", OAuthReadClient).WithName(nameof(OAuthReadClient));
        oauth.MapDelete("/register/{clientId}", OAuthDeleteClient).WithName(nameof(OAuthDeleteClient));

        var developer = app.MapGroup("/v1/oauth").WithTags("OAuth").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        developer.MapPost("/registration-tokens", CreateRegistrationToken).WithName(nameof(CreateRegistrationToken)).WithErrors(400, 401);
        developer.MapGet("/resources", ListResources).WithName(nameof(ListResources)).WithErrors(401);
        developer.MapPut("/resources", SetResources).WithName(nameof(SetResources)).WithErrors(400, 401);
        return app;
    }

    /// <summary>RFC 8414: exactly what this server supports.</summary>
    public static JsonHttpResult<JsonObject> OAuthMetadata(IOptions<GrantexOptions> grantex, IOptions<OAuthOptions> oauth, HttpContext context)
    {
        var issuer = grantex.Value.Issuer;
        var body = new JsonObject
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + "/oauth/authorize",
            ["token_endpoint"] = issuer + "/oauth/token",
            ["jwks_uri"] = issuer + "/.well-known/jwks.json",
            ["response_types_supported"] = new JsonArray("code"),
            ["response_modes_supported"] = new JsonArray("query"),
            ["grant_types_supported"] = new JsonArray(OAuthRegistrationService.GrantAuthorizationCode, OAuthRegistrationService.GrantRefreshToken),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray([.. OAuthClientAuth.All.Select(m => JsonValue.Create(m))]),
            ["introspection_endpoint"] = issuer + "/oauth/introspect",
            ["introspection_endpoint_auth_methods_supported"] = new JsonArray(OAuthClientAuth.Basic, OAuthClientAuth.Post, "bearer"),
            ["revocation_endpoint"] = issuer + "/oauth/revoke",
            ["revocation_endpoint_auth_methods_supported"] = new JsonArray([.. OAuthClientAuth.All.Select(m => JsonValue.Create(m))]),
            ["service_documentation"] = issuer + "/docs",
        };
        if (oauth.Value.Registration != OAuthRegistrationMode.Off)
        {
            body["registration_endpoint"] = issuer + "/oauth/register";
        }

        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Json(body);
    }

    public static async Task<IResult> OAuthAuthorize(HttpContext context, OAuthAuthorizationService authorization, CancellationToken cancellationToken)
    {
        var outcome = await authorization.AuthorizeAsync(Parameters(context.Request.Query), cancellationToken);
        if (outcome.RedirectTo is { } location)
        {
            return TypedResults.Redirect(location);
        }

        return ErrorPage(outcome.PageError!);
    }

    public static async Task<IResult> OAuthToken(HttpContext context, OAuthTokenService tokens, CancellationToken cancellationToken)
    {
        NoStore(context);
        var form = await FormAsync(context, cancellationToken);
        if (!form.IsSuccess)
        {
            return Error(context, form.Error);
        }

        var client = await tokens.AuthenticateClientAsync(BasicCredentials(context), form.Value, cancellationToken);
        if (!client.IsSuccess)
        {
            return Error(context, client.Error);
        }

        var issued = await tokens.TokenAsync(client.Value, form.Value, cancellationToken);
        if (!issued.IsSuccess)
        {
            return Error(context, issued.Error);
        }

        var t = issued.Value;
        var body = new JsonObject
        {
            ["access_token"] = t.AccessToken,
            ["token_type"] = "Bearer",
            ["expires_in"] = t.ExpiresIn,
            ["scope"] = t.Scope,
        };
        if (client.Value.Client.GrantTypes.Contains(OAuthRegistrationService.GrantRefreshToken))
        {
            // Only clients registered for refresh_token get one (the others could not use it).
            body["refresh_token"] = t.RefreshToken;
        }

        return TypedResults.Json(body);
    }

    /// <summary>RFC 7662: the caller is a protected resource holding a developer API key (Bearer), or a confidential client of that developer.</summary>
    public static async Task<IResult> OAuthIntrospect(HttpContext context, OAuthTokenService tokens, CancellationToken cancellationToken)
    {
        NoStore(context);
        var form = await FormAsync(context, cancellationToken);
        if (!form.IsSuccess)
        {
            return Error(context, form.Error);
        }

        Core.Developers.DeveloperInfo developer;
        if (context.CallerOrNull() is { } caller)
        {
            developer = caller.Developer;
        }
        else
        {
            var client = await tokens.AuthenticateClientAsync(BasicCredentials(context), form.Value, cancellationToken);
            if (!client.IsSuccess)
            {
                return Error(context, client.Error);
            }

            if (client.Value.Client.IsPublic)
            {
                return Error(context, OAuthError.Client("Introspection needs a confidential client or a developer API key; public clients cannot introspect."));
            }

            developer = client.Value.Developer;
        }

        var answer = await tokens.IntrospectAsync(developer, form.Value["token"], form.Value["token_type_hint"], cancellationToken);
        var body = new JsonObject { ["active"] = answer.Active };
        if (answer.Active)
        {
            body["scope"] = answer.Scope;
            body["client_id"] = answer.ClientId;
            body["sub"] = answer.Subject;
            body["aud"] = answer.Audience;
            body["iss"] = answer.Issuer;
            body["exp"] = answer.ExpiresAt;
            body["iat"] = answer.IssuedAt;
            body["jti"] = answer.TokenId;
            body["token_type"] = answer.TokenType;
            body["grnt"] = answer.GrantId;
            body["agt"] = answer.AgentDid;
        }

        return TypedResults.Json(body);
    }

    /// <summary>RFC 7009: 200 whether or not the token was known (only the client it was issued to can revoke it).</summary>
    public static async Task<IResult> OAuthRevoke(HttpContext context, OAuthTokenService tokens, CancellationToken cancellationToken)
    {
        NoStore(context);
        var form = await FormAsync(context, cancellationToken);
        if (!form.IsSuccess)
        {
            return Error(context, form.Error);
        }

        var client = await tokens.AuthenticateClientAsync(BasicCredentials(context), form.Value, cancellationToken);
        if (!client.IsSuccess)
        {
            return Error(context, client.Error);
        }

        var revoked = await tokens.RevokeAsync(client.Value, form.Value["token"], cancellationToken);
        return revoked.IsSuccess ? TypedResults.Ok() : Error(context, revoked.Error);
    }

    public static async Task<IResult> OAuthRegister(HttpContext context, OAuthRegistrationService registration, IOptions<OAuthOptions> options, CancellationToken cancellationToken)
    {
        NoStore(context);
        var max = options.Value.MaxMetadataBytes;
        if (context.Request.ContentLength > max)
        {
            return Error(context, new OAuthError(OAuthError.InvalidClientMetadata, $"The client metadata is larger than {max} bytes."));
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type) || !type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(context, new OAuthError(OAuthError.InvalidClientMetadata, "Send the client metadata as application/json."));
        }

        // Read at most max+1 bytes, so a body without a declared length cannot be larger than the limit in memory.
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                return Error(context, new OAuthError(OAuthError.InvalidClientMetadata, $"The client metadata is larger than {max} bytes."));
            }
        }

        JsonElement metadata;
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            metadata = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Error(context, new OAuthError(OAuthError.InvalidClientMetadata, "The client metadata is not valid JSON."));
        }

        var registered = await registration.RegisterAsync(BearerToken(context), metadata, buffer.Length, cancellationToken);
        if (!registered.IsSuccess)
        {
            return Error(context, registered.Error);
        }

        var body = ClientBody(registered.Value, context);
        return TypedResults.Json(body, statusCode: StatusCodes.Status201Created);
    }

    public static async Task<IResult> OAuthReadClient(string clientId, HttpContext context, OAuthRegistrationService registration, CancellationToken cancellationToken)
    {
        NoStore(context);
        var found = await registration.ReadAsync(clientId, BearerToken(context), cancellationToken);
        return found.IsSuccess ? TypedResults.Json(ClientBody(found.Value, context)) : Error(context, found.Error);
    }

    public static async Task<IResult> OAuthDeleteClient(string clientId, HttpContext context, OAuthRegistrationService registration, CancellationToken cancellationToken)
    {
        var deleted = await registration.DeleteAsync(clientId, BearerToken(context), cancellationToken);
        return deleted.IsSuccess ? TypedResults.NoContent() : Error(context, deleted.Error);
    }

    public sealed record RegistrationTokenRequest(string? ExpiresIn, int? MaxUses);

    public sealed record RegistrationTokenResponse(string Id, string Token, DateTime ExpiresAt, int MaxUses);

    public sealed record ResourcesBody(IReadOnlyList<string?>? Resources);

    public static async Task<Results<Created<RegistrationTokenResponse>, ApiError>> CreateRegistrationToken(
        RegistrationTokenRequest? body, HttpContext context, OAuthRegistrationService registration, CancellationToken cancellationToken)
    {
        var created = await registration.CreateRegistrationTokenAsync(context.Caller(), body?.ExpiresIn, body?.MaxUses, cancellationToken);
        return created.IsSuccess
            ? TypedResults.Created("/v1/oauth/registration-tokens/" + created.Value.Id,
                new RegistrationTokenResponse(created.Value.Id, created.Value.Token, created.Value.ExpiresAt, created.Value.MaxUses))
            : ApiError.From(created.Error);
    }

    public static async Task<Ok<ResourcesBody>> ListResources(HttpContext context, OAuthRegistrationService registration, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ResourcesBody([.. await registration.ListResourcesAsync(context.Caller().Developer.Id, cancellationToken)]));

    public static async Task<Results<Ok<ResourcesBody>, ApiError>> SetResources(
        ResourcesBody? body, HttpContext context, OAuthRegistrationService registration, CancellationToken cancellationToken)
    {
        var set = await registration.SetResourcesAsync(context.Caller(), body?.Resources, cancellationToken);
        return set.IsSuccess ? TypedResults.Ok(new ResourcesBody([.. set.Value])) : ApiError.From(set.Error);
    }

    private static JsonObject ClientBody(ClientRegistration r, HttpContext context)
    {
        var issuer = context.RequestServices.GetRequiredService<IOptions<GrantexOptions>>().Value.Issuer;
        var c = r.Client;
        var body = new JsonObject
        {
            ["client_id"] = c.ClientId,
            ["client_id_issued_at"] = TimeFormat.ToUnixSeconds(c.CreatedAt),
            ["client_name"] = r.ClientName,
            ["redirect_uris"] = new JsonArray([.. r.RedirectUris.Select(u => JsonValue.Create(u))]),
            ["grant_types"] = new JsonArray([.. r.GrantTypes.Select(g => JsonValue.Create(g))]),
            ["response_types"] = new JsonArray("code"),
            ["token_endpoint_auth_method"] = c.TokenEndpointAuthMethod,
            ["registration_client_uri"] = $"{issuer}/oauth/register/{c.ClientId}",
            ["agent_did"] = Ids.AgentDid(c.ClientId),
        };
        AddIfSet(body, "client_uri", c.ClientUri);
        AddIfSet(body, "logo_uri", c.LogoUri);
        AddIfSet(body, "scope", c.Scope);
        AddIfSet(body, "software_id", c.SoftwareId);
        AddIfSet(body, "software_version", c.SoftwareVersion);
        AddIfSet(body, "application_type", c.ApplicationType);
        if (r.ClientSecret is not null)
        {
            body["client_secret"] = r.ClientSecret;
            body["client_secret_expires_at"] = 0;
        }

        AddIfSet(body, "registration_access_token", r.RegistrationAccessToken);
        return body;
    }

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    private static OAuthParameters Parameters(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values) =>
        new(values.Select(v => new KeyValuePair<string, IReadOnlyList<string?>>(v.Key, v.Value.ToArray())));

    private static async Task<OAuthResult<OAuthParameters>> FormAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType
            || !MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return OAuthError.Request("Send the parameters as application/x-www-form-urlencoded.");
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        return Parameters(form);
    }

    /// <summary>The Basic credential (RFC 6749 §2.3.1: client id and secret form-urlencoded, then base64), if one was sent.</summary>
    private static OAuthClientCredentials BasicCredentials(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return new OAuthClientCredentials(null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return new OAuthClientCredentials(null, null, HeaderMalformed: true);
            }

            return new OAuthClientCredentials(WebUtility.UrlDecode(decoded[..colon]), WebUtility.UrlDecode(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return new OAuthClientCredentials(null, null, HeaderMalformed: true);
        }
    }

    private static string? BearerToken(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
    }

    /// <summary>An OAuth error body; 401s carry the challenge their scheme asks for (RFC 6749 §5.2, RFC 6750 §3).</summary>
    private static IResult Error(HttpContext context, OAuthError error)
    {
        if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = error.Error == OAuthError.InvalidToken
                ? $"Bearer error=\"{OAuthError.InvalidToken}\""
                : context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) ? "Basic realm=\"grantex\"" : "Bearer";
        }

        return TypedResults.Json(new JsonObject { ["error"] = error.Error, ["error_description"] = error.Description }, statusCode: error.Status);
    }

    /// <summary>The page shown instead of redirecting when the client or its redirect URI cannot be trusted (RFC 6749 §4.1.2.1).</summary>
    private static IResult ErrorPage(OAuthError error)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Authorization request refused</title></head>
            <body><main><h1>This authorization request cannot continue</h1>
            <p>{WebUtility.HtmlEncode(error.Description)}</p>
            <p>Error: <code>{WebUtility.HtmlEncode(error.Error)}</code>. You were not sent back to the application, because its identity or its return address could not be confirmed. Close this window and contact the application's developer.</p>
            </main></body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status400BadRequest);
    }
}
