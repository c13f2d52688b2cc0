using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Identity;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.Sso;

/// <summary>
/// A developer's identity providers (wire format §7.6), for the REST API and the console alike: OIDC connections
/// (create, list, read, change, delete, test), the reference's single legacy config, and the choice of connection for
/// a consent. Every change is audited; secrets are encrypted (<see cref="SsoSecrets"/>) and never returned.
/// </summary>
public sealed class SsoService(
    IDbContextFactory<GrantexDbContext> factory, WriteQueue writes, SsoSecrets secrets, SsoDiscovery discovery, IOptions<SsoOptions> options)
{
    private const int MaxConnections = 20;

    /// <summary>Raised after a committed change of a connection (its id), so cached sign-in settings are dropped.</summary>
    public event Action<string>? Changed;

    public async Task<Result<SsoConnection>> CreateAsync(string developerId, SsoConnectionInput input, string actor, CancellationToken cancellationToken = default)
    {
        var protocol = input.Protocol?.Trim().ToLowerInvariant();
        if (protocol is "saml" or "ldap")
        {
            return GxError.BadRequest($"{protocol.ToUpperInvariant()} connections are not supported by this server; connect your identity provider over OpenID Connect (protocol \"oidc\").", "protocol");
        }

        if (protocol is not (null or "oidc"))
        {
            return GxError.BadRequest("protocol must be oidc (saml and ldap are not supported).", "protocol");
        }

        if (input.Name is null || input.IssuerUrl is null || input.ClientId is null || input.ClientSecret is null)
        {
            return GxError.Required(("name", input.Name), ("issuerUrl", input.IssuerUrl), ("clientId", input.ClientId), ("clientSecret", input.ClientSecret));
        }

        return await SaveAsync(developerId, null, input, legacy: false, actor, cancellationToken);
    }

    public async Task<Result<SsoConnection>> UpdateAsync(string developerId, string connectionId, SsoConnectionInput input, string actor, CancellationToken cancellationToken = default)
    {
        if (input.Protocol is not null && !string.Equals(input.Protocol, "oidc", StringComparison.OrdinalIgnoreCase))
        {
            return GxError.BadRequest("protocol cannot be changed (only oidc is supported).", "protocol");
        }

        return await SaveAsync(developerId, connectionId, input, legacy: false, actor, cancellationToken);
    }

    /// <summary><c>POST /v1/sso/config</c>: upserts the legacy config; all four fields are required.</summary>
    public async Task<Result<SsoConnection>> SaveConfigAsync(string developerId, SsoConnectionInput input, string actor, CancellationToken cancellationToken = default)
    {
        if (input.IssuerUrl is null || input.ClientId is null || input.ClientSecret is null || input.RedirectUri is null)
        {
            return GxError.Required(("issuerUrl", input.IssuerUrl), ("clientId", input.ClientId), ("clientSecret", input.ClientSecret), ("redirectUri", input.RedirectUri));
        }

        if (!Validate.RedirectUri(input.RedirectUri))
        {
            return GxError.BadRequest("redirectUri must be an absolute http(s) URL without user info or fragment.", "redirectUri");
        }

        var existing = await FindConfigAsync(developerId, cancellationToken);
        return await SaveAsync(developerId, existing?.Id, input with { Name = existing?.Name ?? "Single sign-on" }, legacy: true, actor, cancellationToken);
    }

    public async Task<IReadOnlyList<SsoConnection>> ListAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SsoConnection>().AsNoTracking().Where(c => c.DeveloperId == developerId && !c.IsLegacyConfig)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>One of the developer's connections, the legacy config included (another developer's: null).</summary>
    public async Task<SsoConnection?> GetAsync(string developerId, string connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SsoConnection>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId && c.DeveloperId == developerId, cancellationToken);
    }

    public async Task<SsoConnection?> FindConfigAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SsoConnection>().AsNoTracking().FirstOrDefaultAsync(c => c.DeveloperId == developerId && c.IsLegacyConfig, cancellationToken);
    }

    /// <summary>Any developer's connection by id, for the sign-in handler (which knows it from its callback path).</summary>
    public async Task<SsoConnection?> FindAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SsoConnection>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == connectionId, cancellationToken);
    }

    /// <summary>
    /// The connection a person signs in with: the oldest active connection listing the principal's email domain,
    /// else the oldest active connection without domains, else the legacy config if active.
    /// </summary>
    public async Task<SsoConnection?> ForPrincipalAsync(string developerId, string principalId, CancellationToken cancellationToken = default, bool unnamed = false)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var active = await db.Set<SsoConnection>().AsNoTracking()
            .Where(c => c.DeveloperId == developerId && c.Status == SsoConnectionStatus.Active)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).ToListAsync(cancellationToken);
        var at = principalId.LastIndexOf('@');
        var domain = at > 0 ? principalId[(at + 1)..] : null;
        if (unnamed)
        {
            // Nobody named yet (an OAuth client's request): the developer's first connection; its domains still apply to who signs in.
            return active.FirstOrDefault(c => !c.IsLegacyConfig) ?? active.FirstOrDefault();
        }

        return active.FirstOrDefault(c => !c.IsLegacyConfig && domain is not null && c.Domains.Contains(domain, StringComparer.OrdinalIgnoreCase))
            ?? active.FirstOrDefault(c => !c.IsLegacyConfig && c.Domains.Count == 0)
            ?? active.FirstOrDefault(c => c.IsLegacyConfig);
    }

    public string ClientSecret(SsoConnection connection) => secrets.Unprotect(connection.ClientSecretProtected);

    public Task<SsoTestResult> TestAsync(SsoConnection connection, CancellationToken cancellationToken = default) =>
        discovery.TestAsync(connection.IssuerUrl, cancellationToken);

    /// <summary>
    /// Deletes a connection (or, with <paramref name="legacy"/>, the legacy config). Refused while the developer
    /// requires <c>sso</c> and this is its last active connection: consents would have nowhere to send people.
    /// </summary>
    public async Task<Result<bool>> DeleteAsync(string developerId, string? connectionId, bool legacy, string actor, CancellationToken cancellationToken = default) =>
        await writes.ExecuteAsync<Result<bool>>(async ctx =>
        {
            var all = ctx.Db.Set<SsoConnection>();
            var connection = await all.FirstOrDefaultAsync(
                c => c.DeveloperId == developerId && (legacy ? c.IsLegacyConfig : c.Id == connectionId && !c.IsLegacyConfig), cancellationToken);
            if (connection is null)
            {
                return GxError.NotFound(legacy ? "SSO config not found." : "SSO connection not found.");
            }

            var developer = await ctx.Db.Developers.AsNoTracking().FirstAsync(d => d.Id == developerId, cancellationToken);
            if (developer.PrincipalAuthentication == IdentityLevel.Sso && connection.Status == SsoConnectionStatus.Active
                && !await all.AnyAsync(c => c.DeveloperId == developerId && c.Id != connection.Id && c.Status == SsoConnectionStatus.Active, cancellationToken))
            {
                return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict,
                    "This is the last active SSO connection and principalAuthentication is sso: set principalAuthentication to none (PATCH /v1/me) first.");
            }

            all.Remove(connection);
            await ctx.AppendAuditAsync(Audit(connection, AuditActions.SsoConnectionDeleted, actor));
            ctx.AfterCommit(() => Changed?.Invoke(connection.Id));
            return true;
        }, cancellationToken);

    /// <summary>Audits a failed identity-provider round trip (bad state, nonce, issuer, audience, signature, or the provider's error).</summary>
    public Task RecordSignInRefusedAsync(SsoConnection connection, string? requestId, string reason, CancellationToken cancellationToken = default) =>
        writes.AppendAsync(ctx => ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(connection.DeveloperId), AuditActions.SsoSignInRefused, "anonymous",
            AuditMetadata.With("connectionId", connection.Id).AndIf(requestId is not null, "authRequestId", requestId)
                .And("reason", reason.Length > 300 ? reason[..300] : reason))), cancellationToken);

    private async Task<Result<SsoConnection>> SaveAsync(
        string developerId, string? connectionId, SsoConnectionInput input, bool legacy, string actor, CancellationToken cancellationToken)
    {
        var checkedInput = Check(input);
        if (checkedInput is not null)
        {
            return checkedInput;
        }

        var protectedSecret = input.ClientSecret is null ? null : secrets.Protect(input.ClientSecret);
        var status = input.Status is null ? (SsoConnectionStatus?)null : Enum.Parse<SsoConnectionStatus>(input.Status, ignoreCase: true);
        return await writes.ExecuteAsync<Result<SsoConnection>>(async ctx =>
        {
            var all = ctx.Db.Set<SsoConnection>();
            SsoConnection? connection = null;
            if (connectionId is not null)
            {
                connection = await all.FirstOrDefaultAsync(c => c.Id == connectionId && c.DeveloperId == developerId && c.IsLegacyConfig == legacy, cancellationToken);
                if (connection is null)
                {
                    return GxError.NotFound("SSO connection not found.");
                }
            }
            else if (await all.CountAsync(c => c.DeveloperId == developerId, cancellationToken) >= MaxConnections)
            {
                return new GxError(GxErrorKind.LimitExceeded, "PLAN_LIMIT_EXCEEDED", $"A developer can have at most {MaxConnections} SSO connections.");
            }

            var created = connection is null;
            connection ??= new SsoConnection
            {
                Id = Ids.New(Ids.SsoConnection),
                DeveloperId = developerId,
                Name = input.Name!.Trim(),
                IssuerUrl = input.IssuerUrl!.Trim(),
                ClientId = input.ClientId!.Trim(),
                ClientSecretProtected = protectedSecret!,
                IsLegacyConfig = legacy,
                CreatedAt = ctx.Now,
            };
            if (!created)
            {
                var developer = await ctx.Db.Developers.AsNoTracking().FirstAsync(d => d.Id == developerId, cancellationToken);
                if (status is not null and not SsoConnectionStatus.Active && connection.Status == SsoConnectionStatus.Active && developer.PrincipalAuthentication == IdentityLevel.Sso
                    && !await all.AnyAsync(c => c.DeveloperId == developerId && c.Id != connection.Id && c.Status == SsoConnectionStatus.Active, cancellationToken))
                {
                    return new GxError(GxErrorKind.Conflict, ErrorCodes.Conflict,
                        "This is the last active SSO connection and principalAuthentication is sso: set principalAuthentication to none (PATCH /v1/me) first.");
                }

                connection.Name = input.Name?.Trim() ?? connection.Name;
                connection.IssuerUrl = input.IssuerUrl?.Trim() ?? connection.IssuerUrl;
                connection.ClientId = input.ClientId?.Trim() ?? connection.ClientId;
                connection.ClientSecretProtected = protectedSecret ?? connection.ClientSecretProtected;
                connection.Version++;
            }

            connection.Status = status ?? (created ? SsoConnectionStatus.Active : connection.Status);
            connection.Domains = input.Domains is null ? connection.Domains : [.. input.Domains.Select(d => d!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal)];
            connection.PrincipalClaim = input.PrincipalClaim ?? connection.PrincipalClaim;
            connection.RedirectUri = input.RedirectUri ?? connection.RedirectUri;
            connection.UpdatedAt = ctx.Now;
            if (created)
            {
                all.Add(connection);
            }

            await ctx.AppendAuditAsync(Audit(connection, created ? AuditActions.SsoConnectionCreated : AuditActions.SsoConnectionUpdated, actor));
            var id = connection.Id;
            ctx.AfterCommit(() => Changed?.Invoke(id));
            return connection;
        }, cancellationToken);
    }

    private GxError? Check(SsoConnectionInput input)
    {
        if (input.Name is not null && !Validate.Text(input.Name, 200))
        {
            return GxError.BadRequest("name must be 1 to 200 characters.", "name");
        }

        if (input.IssuerUrl is not null)
        {
            var ok = input.IssuerUrl.Length <= 2048 && Uri.TryCreate(input.IssuerUrl.Trim(), UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowHttpIssuers))
                && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);
            if (!ok)
            {
                return GxError.BadRequest("issuerUrl must be the identity provider's https issuer URL (no query, fragment or user info).", "issuerUrl");
            }
        }

        if (input.ClientId is not null && !Validate.Text(input.ClientId, 512))
        {
            return GxError.BadRequest("clientId must be 1 to 512 characters.", "clientId");
        }

        if (input.ClientSecret is not null && (input.ClientSecret.Length is 0 or > 2048))
        {
            return GxError.BadRequest("clientSecret must be 1 to 2048 characters.", "clientSecret");
        }

        if (input.Domains is { } domains && (domains.Count > 50 || domains.Any(d => d is null || !IsDomain(d.Trim()))))
        {
            return GxError.BadRequest("domains must be at most 50 email domains such as example.com.", "domains");
        }

        if (input.PrincipalClaim is not null && !PrincipalClaim.IsKnown(input.PrincipalClaim))
        {
            return GxError.BadRequest("principalClaim must be email, preferred_username or sub.", "principalClaim");
        }

        if (input.Status is not null && !Enum.TryParse<SsoConnectionStatus>(input.Status, ignoreCase: true, out _))
        {
            return GxError.BadRequest("status must be active, inactive or testing.", "status");
        }

        return null;
    }

    private static bool IsDomain(string value) =>
        value.Length is > 0 and <= 253 && value.Contains('.', StringComparison.Ordinal) && Uri.CheckHostName(value) == UriHostNameType.Dns;

    private static AuditDraft Audit(SsoConnection c, AuditAction action, string actor) => AuditDraft.For(new AuditSubject(c.DeveloperId), action, actor,
        AuditMetadata.With("connectionId", c.Id).And("issuerUrl", c.IssuerUrl).And("clientId", c.ClientId).And("legacy", c.IsLegacyConfig)
            .And("status", c.Status.ToString().ToLowerInvariant()).And("domains", c.Domains).And("principalClaim", c.PrincipalClaim));
}
