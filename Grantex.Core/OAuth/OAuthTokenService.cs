using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Grants;
using Grantex.Core.Persistence;
using Grantex.Core.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Grantex.Core.OAuth;

/// <summary>
/// The OAuth token endpoint (RFC 6749 §3.2, §4.1.3, §6), introspection (RFC 7662) and revocation (RFC 7009) over the
/// grant model: a code becomes a grant through <see cref="ExchangeService"/> (single use, PKCE, replay revokes), a
/// refresh token rotates through it (reuse revokes), the access token is the grant token with <c>aud</c> = the resource,
/// and introspection reads the same in-memory revocation index as online verification.
/// </summary>
public sealed class OAuthTokenService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    ExchangeService exchange,
    GrantTokenService tokens,
    GrantRevoker revoker,
    TimeProvider time)
{
    /// <summary>An authenticated client: its row, its agent and its developer.</summary>
    public sealed record AuthenticatedClient(OAuthClient Client, Agent Agent, DeveloperInfo Developer)
    {
        public ApiKeyCaller Caller => ApiKeyCaller.ForOAuthClient(Developer, Client.ClientId);
    }

    /// <summary>
    /// Client authentication (RFC 6749 §2.3): a public client (<c>none</c>) sends its <c>client_id</c> and no secret; a
    /// confidential one its secret by the method it registered (<c>client_secret_basic</c> or <c>client_secret_post</c>);
    /// more than one method, a secret from a public client, or none from a confidential one is <c>invalid_client</c>.
    /// </summary>
    public async Task<OAuthResult<AuthenticatedClient>> AuthenticateClientAsync(OAuthClientCredentials header, OAuthParameters form, CancellationToken cancellationToken = default)
    {
        if (header.HeaderMalformed)
        {
            return OAuthError.Client("The Authorization header is not a valid Basic credential.");
        }

        if (form.Repeated("client_id", "client_secret") is { } repeated)
        {
            return OAuthError.Request($"{repeated} was sent more than once.");
        }

        var formId = form["client_id"];
        var formSecret = form["client_secret"];
        if (header.BasicClientId is not null && formSecret is not null)
        {
            return OAuthError.Request("Use one client authentication method: Basic or client_secret in the body, not both.");
        }

        if (header.BasicClientId is not null && formId is not null && formId != header.BasicClientId)
        {
            return OAuthError.Client("client_id in the body differs from the Basic credential.");
        }

        var clientId = header.BasicClientId ?? formId;
        if (clientId is null)
        {
            return OAuthError.Client("Client authentication is required: send client_id (public clients) or the client's secret.");
        }

        var usedMethod = header.BasicClientId is not null ? OAuthClientAuth.Basic : formSecret is not null ? OAuthClientAuth.Post : OAuthClientAuth.None;
        var secret = header.BasicSecret ?? formSecret;
        if (clientId.Length > 40)
        {
            return OAuthError.Client("Unknown client.");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.OAuthClients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Join(db.Agents.AsNoTracking(), c => c.ClientId, a => a.Id, (c, a) => new { Client = c, Agent = a })
            .Join(db.Developers.AsNoTracking(), x => x.Agent.DeveloperId, d => d.Id, (x, d) => new { x.Client, x.Agent, Developer = d })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.Agent.Status != AgentStatus.Active)
        {
            return OAuthError.Client("Unknown client, or the client was suspended or deleted.");
        }

        string? refusal = null;
        // Some libraries send a public client's id as "Basic id:" with an empty secret; that presents no secret.
        if (row.Client.IsPublic && !string.IsNullOrEmpty(secret))
        {
            refusal = "a public client (token_endpoint_auth_method none) presented a secret";
        }
        else if (!row.Client.IsPublic && usedMethod == OAuthClientAuth.None)
        {
            refusal = "a confidential client sent no secret";
        }
        else if (!row.Client.IsPublic && usedMethod != row.Client.TokenEndpointAuthMethod)
        {
            refusal = $"the client registered {row.Client.TokenEndpointAuthMethod} but authenticated with {usedMethod}";
        }
        else if (!row.Client.IsPublic && !Secrets.FixedTimeEquals(Secrets.Sha256Hex(secret ?? ""), row.Client.SecretHash ?? ""))
        {
            refusal = "wrong client secret";
        }

        if (refusal is not null)
        {
            await AuditAsync(row.Developer.Id, clientId, "", "client authentication failed: " + refusal, cancellationToken);
            return OAuthError.Client("Client authentication failed: " + refusal + ".");
        }

        return new AuthenticatedClient(row.Client, row.Agent, DeveloperInfo.From(row.Developer));
    }

    /// <summary>The token endpoint after client authentication: <c>authorization_code</c> or <c>refresh_token</c>.</summary>
    public async Task<OAuthResult<OAuthTokenResponse>> TokenAsync(AuthenticatedClient client, OAuthParameters form, CancellationToken cancellationToken = default)
    {
        if (form.Repeated("grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "resource", "scope") is { } repeated)
        {
            return OAuthError.Request($"{repeated} was sent more than once.");
        }

        var outcome = form["grant_type"] switch
        {
            null => OAuthError.Request("grant_type is required."),
            OAuthRegistrationService.GrantAuthorizationCode => await CodeAsync(client, form, cancellationToken),
            OAuthRegistrationService.GrantRefreshToken => await RefreshAsync(client, form, cancellationToken),
            var other => new OAuthError(OAuthError.UnsupportedGrantType, $"grant_type '{Shorten(other)}' is not supported; use authorization_code or refresh_token."),
        };
        if (!outcome.IsSuccess)
        {
            await AuditAsync(client.Developer.Id, client.Client.ClientId, "", $"{outcome.Error.Error}: {outcome.Error.Description}", cancellationToken);
        }

        return outcome;
    }

    /// <summary>
    /// RFC 7662: whether <paramref name="token"/> (a grant token, or a refresh token) is active right now for
    /// <paramref name="developer"/> — the signature, issuer and lifetime, then the in-memory revocation index
    /// (revocation shows on the very next call). Tokens of other developers are inactive.
    /// </summary>
    public async Task<OAuthIntrospection> IntrospectAsync(DeveloperInfo developer, string? token, string? hint, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return OAuthIntrospection.Inactive;
        }

        if (token.StartsWith(Ids.RefreshToken, StringComparison.Ordinal) || hint == "refresh_token")
        {
            return await IntrospectRefreshAsync(developer, token, cancellationToken);
        }

        var verified = await tokens.VerifyAsync(new ApiKeyCaller(developer, ""), token);
        if (!verified.Valid || verified.Grant is not { } grant)
        {
            return OAuthIntrospection.Inactive;
        }

        return new OAuthIntrospection(true, string.Join(' ', grant.Scopes), Ids.AgentIdFromDid(grant.AgentDid), grant.PrincipalId, grant.Audience, grant.Issuer,
            TimeFormat.ToUnixSeconds(grant.ExpiresAt), TimeFormat.ToUnixSeconds(grant.IssuedAt), grant.TokenId, "Bearer", grant.GrantId, grant.AgentDid);
    }

    /// <summary>
    /// RFC 7009: revokes the grant behind <paramref name="token"/> (access or refresh token) with its descendants, when
    /// the token was issued to <paramref name="client"/>. Unknown tokens, and tokens of other clients, change nothing
    /// (the answer is the same 200, so it reveals nothing); the latter is audited.
    /// </summary>
    public async Task<OAuthResult<int>> RevokeAsync(AuthenticatedClient client, string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(token))
        {
            return OAuthError.Request("token is required.");
        }

        if (token.Length > 8192)
        {
            return 0;
        }

        string? grantId;
        if (token.StartsWith(Ids.RefreshToken, StringComparison.Ordinal))
        {
            var hash = Secrets.Sha256Hex(token);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            grantId = await db.RefreshTokens.AsNoTracking().Where(t => t.TokenHash == hash && t.DeveloperId == client.Developer.Id)
                .Join(db.Grants.AsNoTracking(), t => t.GrantId, g => g.Id, (t, g) => g)
                .Where(g => g.AgentId == client.Client.ClientId).Select(g => g.Id).FirstOrDefaultAsync(cancellationToken);
        }
        else
        {
            var verified = await tokens.VerifySignedAsync(token);
            grantId = verified.Grant is { } g && g.DeveloperId == client.Developer.Id && g.AgentDid == client.Agent.Did ? g.GrantId : null;
            if (verified.Grant is not null && grantId is null)
            {
                await AuditAsync(client.Developer.Id, client.Client.ClientId, "", "revocation of a token issued to another client ignored", cancellationToken);
            }
        }

        if (grantId is null)
        {
            return 0;
        }

        var actor = client.Caller.Actor;
        return await writes.ExecuteAsync(async ctx =>
            (await revoker.RevokeTreeAsync(ctx, client.Developer.Id, grantId, actor, "oauth_revocation", cancellationToken)).Count, cancellationToken);
    }

    private async Task<OAuthResult<OAuthTokenResponse>> CodeAsync(AuthenticatedClient client, OAuthParameters form, CancellationToken cancellationToken)
    {
        var code = form["code"];
        var verifier = form["code_verifier"];
        var redirectUri = form["redirect_uri"];
        if (code is null)
        {
            return OAuthError.Request("code is required.");
        }

        if (verifier is null)
        {
            return OAuthError.Grant("code_verifier is required: every code here is bound to a PKCE challenge.");
        }

        if (redirectUri is null)
        {
            return OAuthError.Request("redirect_uri is required: the one sent to the authorization endpoint.");
        }

        var issued = await exchange.ExchangeAsync(client.Caller, code, client.Client.ClientId, verifier,
            new ExchangeBinding(redirectUri, form["resource"]), cancellationToken);
        return issued.IsSuccess ? Response(issued.Value) : FromExchange(issued.Error);
    }

    private async Task<OAuthResult<OAuthTokenResponse>> RefreshAsync(AuthenticatedClient client, OAuthParameters form, CancellationToken cancellationToken)
    {
        if (client.Client.GrantTypes.Count > 0 && !client.Client.GrantTypes.Contains(OAuthRegistrationService.GrantRefreshToken))
        {
            return new OAuthError(OAuthError.UnauthorizedClient, "This client did not register for the refresh_token grant.");
        }

        var refresh = form["refresh_token"];
        if (refresh is null)
        {
            return OAuthError.Request("refresh_token is required.");
        }

        if (refresh.Length <= 512 && (form["resource"] is not null || form["scope"] is not null))
        {
            // A refresh may repeat the resource and scopes, never change them: rotation keeps the grant as it is.
            var hash = Secrets.Sha256Hex(refresh);
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var grant = await db.RefreshTokens.AsNoTracking().Where(t => t.TokenHash == hash && t.DeveloperId == client.Developer.Id)
                .Join(db.Grants.AsNoTracking(), t => t.GrantId, g => g.Id, (t, g) => g).FirstOrDefaultAsync(cancellationToken);
            if (grant is not null && form["resource"] is { } resource && resource != grant.Audience)
            {
                return OAuthError.Target("resource differs from the resource this grant was issued for.");
            }

            if (grant is not null && form["scope"] is { } scope
                && !scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal).SetEquals(grant.Scopes))
            {
                return new OAuthError(OAuthError.InvalidScope, "scope must be omitted or equal the grant's scopes: a refresh cannot change them.");
            }
        }

        var issued = await exchange.RefreshAsync(client.Caller, refresh, client.Client.ClientId, cancellationToken);
        return issued.IsSuccess ? Response(issued.Value) : FromExchange(issued.Error);
    }

    private async Task<OAuthIntrospection> IntrospectRefreshAsync(DeveloperInfo developer, string token, CancellationToken cancellationToken)
    {
        if (token.Length > 512)
        {
            return OAuthIntrospection.Inactive;
        }

        var hash = Secrets.Sha256Hex(token);
        var now = time.UtcNowMillis();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.RefreshTokens.AsNoTracking().Where(t => t.TokenHash == hash && t.DeveloperId == developer.Id)
            .Join(db.Grants.AsNoTracking(), t => t.GrantId, g => g.Id, (t, g) => new { Token = t, Grant = g }).FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.Token.UsedAt is not null || row.Token.ExpiresAt <= now || row.Grant.Status != GrantStatus.Active || row.Grant.ExpiresAt <= now)
        {
            return OAuthIntrospection.Inactive;
        }

        return new OAuthIntrospection(true, string.Join(' ', row.Grant.Scopes), row.Grant.AgentId, row.Grant.PrincipalId, row.Grant.Audience, null,
            TimeFormat.ToUnixSeconds(row.Token.ExpiresAt), TimeFormat.ToUnixSeconds(row.Token.CreatedAt), null, "refresh_token", row.Grant.Id, Ids.AgentDid(row.Grant.AgentId));
    }

    private OAuthTokenResponse Response(IssuedGrantToken issued)
    {
        var expiresIn = (long)Math.Max(0, (issued.ExpiresAt - time.UtcNowMillis()).TotalSeconds);
        return new OAuthTokenResponse(issued.GrantToken, expiresIn, issued.RefreshToken, string.Join(' ', issued.Scopes), issued.GrantId);
    }

    /// <summary>The exchange's refusals in OAuth terms: a wrong resource is <c>invalid_target</c>; anything else about the code or refresh token <c>invalid_grant</c>.</summary>
    private static OAuthError FromExchange(GxError error) => error.Code == ExchangeService.InvalidTargetCode
        ? OAuthError.Target(error.Message)
        : OAuthError.Grant(error.Message);

    private async Task AuditAsync(string developerId, string clientId, string grantId, string reason, CancellationToken cancellationToken)
    {
        var draft = AuditDraft.For(new AuditSubject(developerId, clientId, grantId), AuditActions.OAuthTokenRefused, "oauth-client:" + clientId,
            AuditMetadata.With("reason", reason));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }

    private static string Shorten(string value) => value.Length > 64 ? value[..64] + "…" : value;
}
