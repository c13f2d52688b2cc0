using System.Globalization;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Consent;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Persistence;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.OAuth;

/// <summary>
/// The OAuth authorization endpoint (RFC 6749 §4.1.1 with OAuth 2.1's rules) as a front over
/// <see cref="AuthorizationService"/>: it checks the client, its redirect URI, PKCE S256 and the resource, then creates
/// an ordinary authorization request (the developer's policies and identity level apply) and sends the person to the
/// consent page, whose decision redirects back to the client with <c>code</c> and <c>state</c>.
/// </summary>
public sealed class OAuthAuthorizationService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    AuthorizationService authorization,
    IOptions<OAuthOptions> options)
{
    /// <summary>
    /// The principal recorded when the client names no one (<c>login_hint</c>): for a developer at identity level
    /// <c>sso</c> the person's sign-in on the consent page then names it; at <c>none</c> it stays, since no one is identified.
    /// </summary>
    public static string AnonymousPrincipal(string clientId) => AuthRequest.UnnamedPrincipal(clientId);

    public async Task<OAuthAuthorizeOutcome> AuthorizeAsync(OAuthParameters query, CancellationToken cancellationToken = default)
    {
        if (query.Repeated("client_id", "redirect_uri") is { } repeatedKey)
        {
            return OAuthAuthorizeOutcome.Page(OAuthError.Request($"{repeatedKey} was sent more than once."));
        }

        var clientId = query["client_id"];
        if (clientId is null || clientId.Length > 40)
        {
            return OAuthAuthorizeOutcome.Page(OAuthError.Request("client_id is missing or invalid."));
        }

        OAuthClient? client;
        Agent? agent;
        Developer? developer;
        IReadOnlyList<string> resources;
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            client = await db.OAuthClients.AsNoTracking().FirstOrDefaultAsync(c => c.ClientId == clientId, cancellationToken);
            agent = client is null ? null : await db.Agents.AsNoTracking().FirstOrDefaultAsync(a => a.Id == clientId, cancellationToken);
            developer = agent is null ? null : await db.Developers.AsNoTracking().FirstOrDefaultAsync(d => d.Id == agent.DeveloperId, cancellationToken);
            resources = developer is null ? [] : await db.OAuthResources.AsNoTracking().Where(r => r.DeveloperId == developer.Id).Select(r => r.Uri).ToListAsync(cancellationToken);
        }

        if (client is null || agent is null || developer is null || agent.Status != AgentStatus.Active)
        {
            return OAuthAuthorizeOutcome.Page(new OAuthError(OAuthError.InvalidClient, "This client is not registered here, or it was suspended or deleted."));
        }

        var redirectUri = query["redirect_uri"] ?? (agent.RedirectUris.Count == 1 ? agent.RedirectUris[0] : null);
        if (redirectUri is null)
        {
            return OAuthAuthorizeOutcome.Page(OAuthError.Request("redirect_uri is required: this client registered more than one."));
        }

        if (RedirectUriRules.Refusal(redirectUri) is not null || !RedirectUriMatch.Matches(agent.RedirectUris, redirectUri, loopbackAnyPort: true))
        {
            await AuditAsync(developer.Id, clientId, "redirect_uri is not one the client registered", redirectUri, cancellationToken);
            return OAuthAuthorizeOutcome.Page(OAuthError.Request("redirect_uri is not one of the redirect URIs this client registered. Nothing was sent to it."));
        }

        // From here on, errors go back to the client (RFC 6749 §4.1.2.1), with its state.
        var state = query["state"];
        var result = await ValidateAndCreateAsync(query, client, agent, developer, resources, redirectUri, state, cancellationToken);
        if (result.IsSuccess)
        {
            return OAuthAuthorizeOutcome.Redirect(result.Value);
        }

        await AuditAsync(developer.Id, clientId, $"{result.Error.Error}: {result.Error.Description}", redirectUri, cancellationToken);
        return OAuthAuthorizeOutcome.Redirect(ErrorRedirect(redirectUri, result.Error, state));
    }

    /// <summary>The client's redirect URI with <c>error</c>, <c>error_description</c> and <c>state</c> (RFC 6749 §4.1.2.1).</summary>
    public static string ErrorRedirect(string redirectUri, OAuthError error, string? state)
    {
        var parameters = new Dictionary<string, string?> { ["error"] = error.Error, ["error_description"] = error.Description };
        if (state is not null)
        {
            parameters["state"] = state;
        }

        return QueryHelpers.AddQueryString(redirectUri, parameters);
    }

    private async Task<OAuthResult<string>> ValidateAndCreateAsync(
        OAuthParameters query, OAuthClient client, Agent agent, Developer developer, IReadOnlyList<string> resources, string redirectUri, string? state,
        CancellationToken cancellationToken)
    {
        if (query.Repeated("response_type", "scope", "state", "code_challenge", "code_challenge_method", "resource", "login_hint") is { } repeated)
        {
            return OAuthError.Request($"{repeated} was sent more than once.");
        }

        if (query["response_type"] != "code")
        {
            return new OAuthError(OAuthError.UnsupportedResponseType, "response_type must be code: only the authorization code flow is supported.");
        }

        if (state is { Length: > 1024 })
        {
            return OAuthError.Request("state must be at most 1024 characters.");
        }

        var challenge = query["code_challenge"];
        var method = query["code_challenge_method"];
        if (challenge is null)
        {
            return OAuthError.Request("code_challenge is required: PKCE with S256 is mandatory (OAuth 2.1).");
        }

        if (method != "S256")
        {
            return OAuthError.Request("code_challenge_method must be S256; plain (or no method, which means plain) is refused.");
        }

        if (!Pkce.IsValidChallenge(challenge))
        {
            return OAuthError.Request("code_challenge must be 43 characters of base64url (the S256 hash of the verifier).");
        }

        var resource = query["resource"];
        if (resource is null)
        {
            return OAuthError.Target("resource is required (RFC 8707): the URL of the MCP server or API the token is for.");
        }

        if (!resources.Contains(resource, StringComparer.Ordinal))
        {
            return OAuthError.Target($"resource '{resource}' is not one the developer registered for its clients.");
        }

        if (client.GrantTypes.Count > 0 && !client.GrantTypes.Contains(OAuthRegistrationService.GrantAuthorizationCode))
        {
            return new OAuthError(OAuthError.UnauthorizedClient, "This client did not register for the authorization_code grant.");
        }

        var scope = query["scope"];
        if (scope is null)
        {
            return new OAuthError(OAuthError.InvalidScope, "scope is required: name the permissions the client asks for, separated by spaces.");
        }

        var scopes = Validate.Scopes(scope.Split(' ', StringSplitOptions.RemoveEmptyEntries), required: true, field: "scope");
        if (!scopes.IsSuccess)
        {
            return new OAuthError(OAuthError.InvalidScope, scopes.Error.Message);
        }

        var loginHint = query["login_hint"];
        if (loginHint is null && developer.PrincipalAuthentication == IdentityLevel.Passkey)
        {
            return OAuthError.Request("This developer identifies people by passkey: send login_hint with the person's user id at the developer.");
        }

        var caller = ApiKeyCaller.ForOAuthClient(DeveloperInfo.From(developer), client.ClientId);
        var lifetime = ((long)options.Value.GrantLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var input = new AuthorizeInput(client.ClientId, loginHint ?? AnonymousPrincipal(client.ClientId), [.. scopes.Value], redirectUri, state, lifetime, resource,
            challenge, "S256") { LoopbackAnyPort = true };
        var created = await authorization.AuthorizeAsync(caller, input, cancellationToken);
        if (!created.IsSuccess)
        {
            return created.Error.Kind switch
            {
                GxErrorKind.Forbidden => new OAuthError(OAuthError.AccessDenied, created.Error.Message),
                GxErrorKind.Validation when created.Error.Fields.Contains("scopes") => new OAuthError(OAuthError.InvalidScope, created.Error.Message),
                GxErrorKind.Validation => OAuthError.Request(created.Error.Message),
                _ => new OAuthError(OAuthError.ServerError, created.Error.Message),
            };
        }

        // Approved at once (sandbox key or an allow policy): straight back with the code; else the consent page.
        return created.Value.Code is { } code
            ? QueryHelpers.AddQueryString(redirectUri, state is null
                ? new Dictionary<string, string?> { ["code"] = code }
                : new Dictionary<string, string?> { ["code"] = code, ["state"] = state })
            : created.Value.ConsentUrl;
    }

    private async Task AuditAsync(string developerId, string clientId, string reason, string? redirectUri, CancellationToken cancellationToken)
    {
        var draft = AuditDraft.For(new AuditSubject(developerId, clientId), AuditActions.OAuthAuthorizeRefused, "oauth-client:" + clientId,
            AuditMetadata.With("reason", reason).And("redirectUri", redirectUri));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }
}
