using System.Text.Json;
using Grantex.Core.Agents;
using Grantex.Core.Audit;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Grantex.Core.OAuth;

/// <summary>
/// Dynamic client registration (RFC 7591) and its management (RFC 7592 read and delete): a registered client is an
/// agent of a developer — the developer whose initial access token it presented, or the configured one under open
/// registration. Also the developer's side: initial access tokens and the list of resources clients may ask for.
/// </summary>
public sealed class OAuthRegistrationService(
    IDbContextFactory<GrantexDbContext> factory,
    WriteQueue writes,
    AgentService agents,
    ChangeNotifier changes,
    TimeProvider time,
    IOptions<OAuthOptions> options)
{
    public const string RegistrationTokenPrefix = "gxit_";
    public const string RegistrationAccessTokenPrefix = "gxrat_";
    public const string ClientSecretPrefix = "gxcs_";
    public const int MaxResources = 50;

    public const string GrantAuthorizationCode = "authorization_code";
    public const string GrantRefreshToken = "refresh_token";

    /// <summary>Registers a client from its metadata document (already parsed; <paramref name="bodyBytes"/> is its size).</summary>
    public async Task<OAuthResult<ClientRegistration>> RegisterAsync(string? initialAccessToken, JsonElement metadata, long bodyBytes, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        if (settings.Registration == OAuthRegistrationMode.Off)
        {
            return new OAuthError(OAuthError.AccessDenied, "Dynamic client registration is turned off on this server.", 403);
        }

        // Who the client will belong to: the token's developer, or the open-registration developer.
        OAuthRegistrationToken? token = null;
        string developerId;
        if (settings.Registration == OAuthRegistrationMode.Token)
        {
            if (string.IsNullOrEmpty(initialAccessToken))
            {
                return OAuthError.Token("Registration needs an initial access token (Authorization: Bearer gxit_…) that a developer creates with POST /v1/oauth/registration-tokens.");
            }

            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var hash = Secrets.Sha256Hex(initialAccessToken);
            token = await db.OAuthRegistrationTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
            if (token is null || token.ExpiresAt <= time.UtcNowMillis() || token.Uses >= token.MaxUses)
            {
                return OAuthError.Token("The initial access token is unknown, expired or used up.");
            }

            developerId = token.DeveloperId;
        }
        else
        {
            developerId = settings.OpenRegistrationDeveloperId ?? "";
        }

        var parsed = ParseMetadata(metadata, bodyBytes);
        if (!parsed.IsSuccess)
        {
            await AuditRefusalAsync(developerId, parsed.Error.Description, cancellationToken);
            return parsed.Error;
        }

        var m = parsed.Value;
        var secret = m.AuthMethod == OAuthClientAuth.None ? null : ClientSecretPrefix + Secrets.Random(32);
        var registrationToken = RegistrationAccessTokenPrefix + Secrets.Random(32);
        var outcome = await writes.ExecuteAsync<OAuthResult<ClientRegistration>>(async ctx =>
        {
            if (!await ctx.Db.Developers.AnyAsync(d => d.Id == developerId, cancellationToken))
            {
                return new OAuthError(OAuthError.ServerError, "Open registration is on, but Grantex:OAuth:OpenRegistrationDeveloperId names no developer.", 500);
            }

            if (token is not null)
            {
                // Counted in the same transaction as the client, so a token's last use registers exactly one client.
                var counted = await ctx.Db.OAuthRegistrationTokens.Where(t => t.Id == token.Id && t.Uses < t.MaxUses)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Uses, t => t.Uses + 1), cancellationToken);
                if (counted != 1)
                {
                    return OAuthError.Token("The initial access token is unknown, expired or used up.");
                }
            }

            var now = ctx.Now;
            var agent = new Agent
            {
                Id = Ids.New(Ids.Agent),
                DeveloperId = developerId,
                Name = m.ClientName,
                Description = m.ClientUri is null ? "Registered through OAuth dynamic client registration." : $"Registered through OAuth dynamic client registration ({m.ClientUri}).",
                Scopes = m.Scopes,
                RedirectUris = m.RedirectUris,
                Status = AgentStatus.Active,
                CreatedAt = now,
                UpdatedAt = now,
            };
            var client = new OAuthClient
            {
                ClientId = agent.Id,
                DeveloperId = developerId,
                TokenEndpointAuthMethod = m.AuthMethod,
                SecretHash = secret is null ? null : Secrets.Sha256Hex(secret),
                RegistrationTokenHash = Secrets.Sha256Hex(registrationToken),
                RegistrationTokenExpiresAt = now + settings.RegistrationAccessTokenLifetime,
                GrantTypes = m.GrantTypes,
                ClientUri = m.ClientUri,
                LogoUri = m.LogoUri,
                Scope = m.Scopes.Count == 0 ? null : string.Join(' ', m.Scopes),
                SoftwareId = m.SoftwareId,
                SoftwareVersion = m.SoftwareVersion,
                ApplicationType = m.ApplicationType,
                RegisteredWith = token?.Id ?? "open",
                CreatedAt = now,
            };
            ctx.Db.Agents.Add(agent);
            ctx.Db.OAuthClients.Add(client);
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(developerId, agent.Id), AuditActions.OAuthClientRegistered, "oauth-registration",
                AuditMetadata.With("clientName", agent.Name).And("redirectUris", agent.RedirectUris).And("tokenEndpointAuthMethod", client.TokenEndpointAuthMethod)
                    .And("registeredWith", client.RegisteredWith)));
            ctx.AfterCommit(() => changes.Publish(ChangeKind.AgentChanged, developerId, agent.Id));
            return new ClientRegistration(client, agent.Name, agent.RedirectUris, client.GrantTypes, secret, registrationToken);
        }, cancellationToken);
        return outcome;
    }

    /// <summary>RFC 7592 read: the client's current registration, for the holder of its registration access token.</summary>
    public async Task<OAuthResult<ClientRegistration>> ReadAsync(string clientId, string? registrationAccessToken, CancellationToken cancellationToken = default)
    {
        var found = await FindForManagementAsync(clientId, registrationAccessToken, cancellationToken);
        return found.IsSuccess
            ? new ClientRegistration(found.Value.Client, found.Value.Agent.Name, found.Value.Agent.RedirectUris, found.Value.Client.GrantTypes, null, null)
            : found.Error;
    }

    /// <summary>RFC 7592 delete: the agent is deleted, which revokes every grant it holds (and their descendants).</summary>
    public async Task<OAuthResult<int>> DeleteAsync(string clientId, string? registrationAccessToken, CancellationToken cancellationToken = default)
    {
        var found = await FindForManagementAsync(clientId, registrationAccessToken, cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error;
        }

        var deleted = await agents.DeleteAsync(found.Value.Client.DeveloperId, clientId, "oauth-client:" + clientId, cancellationToken);
        return deleted.IsSuccess ? deleted.Value : OAuthError.Token("The client is already deleted.");
    }

    /// <summary>An initial access token for <paramref name="caller"/>'s developer; shown once, stored as its hash.</summary>
    public async Task<Result<CreatedRegistrationToken>> CreateRegistrationTokenAsync(ApiKeyCaller caller, string? expiresIn, int? maxUses, CancellationToken cancellationToken = default)
    {
        var lifetime = options.Value.RegistrationTokenLifetime;
        if (expiresIn is not null && (!Durations.TryParse(expiresIn, out lifetime) || lifetime > TimeSpan.FromDays(90)))
        {
            return GxError.BadRequest("expiresIn must be a duration such as \"1h\" or \"7d\", at most 90 days.", "expiresIn");
        }

        if (maxUses is < 1 or > 10_000)
        {
            return GxError.BadRequest("maxUses must be 1 to 10000.", "maxUses");
        }

        var token = RegistrationTokenPrefix + Secrets.Random(32);
        return await writes.ExecuteAsync<Result<CreatedRegistrationToken>>(async ctx =>
        {
            var row = new OAuthRegistrationToken
            {
                Id = Ids.New(Ids.OAuthRegistrationToken),
                DeveloperId = caller.Developer.Id,
                TokenHash = Secrets.Sha256Hex(token),
                CreatedAt = ctx.Now,
                ExpiresAt = ctx.Now + lifetime,
                MaxUses = maxUses ?? 1,
            };
            ctx.Db.OAuthRegistrationTokens.Add(row);
            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(caller.Developer.Id), AuditActions.OAuthRegistrationTokenCreated, caller.Actor,
                AuditMetadata.With("registrationTokenId", row.Id).And("expiresAt", TimeFormat.Iso(row.ExpiresAt)).And("maxUses", row.MaxUses)));
            return new CreatedRegistrationToken(row.Id, token, row.ExpiresAt, row.MaxUses);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListResourcesAsync(string developerId, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.OAuthResources.AsNoTracking().Where(r => r.DeveloperId == developerId).OrderBy(r => r.Uri).Select(r => r.Uri).ToListAsync(cancellationToken);
    }

    /// <summary>Replaces the developer's resources (RFC 8707 resource indicators clients may ask tokens for).</summary>
    public async Task<Result<IReadOnlyList<string>>> SetResourcesAsync(ApiKeyCaller caller, IReadOnlyList<string?>? resources, CancellationToken cancellationToken = default)
    {
        if (resources is null)
        {
            return GxError.Required(("resources", null));
        }

        if (resources.Count > MaxResources)
        {
            return GxError.BadRequest($"Too many resources (at most {MaxResources}).", "resources");
        }

        foreach (var resource in resources)
        {
            if (ResourceRefusal(resource) is { } refusal)
            {
                return GxError.BadRequest(refusal, "resources");
            }
        }

        var list = resources.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return await writes.ExecuteAsync<Result<IReadOnlyList<string>>>(async ctx =>
        {
            var before = await ctx.Db.OAuthResources.Where(r => r.DeveloperId == caller.Developer.Id).ToListAsync(cancellationToken);
            ctx.Db.OAuthResources.RemoveRange(before.Where(r => !list.Contains(r.Uri)));
            foreach (var uri in list.Where(u => before.All(r => r.Uri != u)))
            {
                ctx.Db.OAuthResources.Add(new OAuthResource { DeveloperId = caller.Developer.Id, Uri = uri!, CreatedAt = ctx.Now });
            }

            await ctx.AppendAuditAsync(AuditDraft.For(new AuditSubject(caller.Developer.Id), AuditActions.OAuthResourcesChanged, caller.Actor,
                AuditMetadata.With("before", before.Select(r => r.Uri).Order(StringComparer.Ordinal).ToList()).And("after", list)));
            return list!;
        }, cancellationToken);
    }

    /// <summary>
    /// Why <paramref name="resource"/> cannot be a resource indicator, or null: an absolute https URL (http only on
    /// loopback), without fragment or credentials (RFC 8707 §2).
    /// </summary>
    public static string? ResourceRefusal(string? resource)
    {
        if (string.IsNullOrEmpty(resource) || resource.Length > 2048 || !Uri.TryCreate(resource, UriKind.Absolute, out var uri))
        {
            return "Each resource must be an absolute URL of at most 2048 characters.";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !RedirectUriMatch.IsLoopbackHttp(uri))
        {
            return $"Resource '{resource}' must use https (http only on a loopback address).";
        }

        return resource.Contains('#', StringComparison.Ordinal) || !string.IsNullOrEmpty(uri.UserInfo) || resource.Any(char.IsWhiteSpace)
            ? $"Resource '{resource}' must not have a fragment, credentials or white space."
            : null;
    }

    private sealed record Metadata(
        List<string> RedirectUris, string AuthMethod, List<string> GrantTypes, string ClientName, string? ClientUri, string? LogoUri,
        List<string> Scopes, string? SoftwareId, string? SoftwareVersion, string? ApplicationType);

    private OAuthResult<Metadata> ParseMetadata(JsonElement metadata, long bodyBytes)
    {
        static OAuthError Bad(string description) => new(OAuthError.InvalidClientMetadata, description);

        if (bodyBytes > options.Value.MaxMetadataBytes)
        {
            return Bad($"The client metadata is larger than {options.Value.MaxMetadataBytes} bytes.");
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            return Bad("The client metadata must be a JSON object.");
        }

        if (!metadata.TryGetProperty("redirect_uris", out var redirectsElement) || redirectsElement.ValueKind != JsonValueKind.Array
            || redirectsElement.GetArrayLength() == 0)
        {
            return new OAuthError(OAuthError.InvalidRedirectUri, "redirect_uris is required: an array of at least one redirect URI.");
        }

        if (redirectsElement.GetArrayLength() > RedirectUriRules.MaxCount)
        {
            return new OAuthError(OAuthError.InvalidRedirectUri, $"At most {RedirectUriRules.MaxCount} redirect_uris.");
        }

        var redirects = new List<string>();
        foreach (var item in redirectsElement.EnumerateArray())
        {
            var value = item.ValueKind == JsonValueKind.String ? item.GetString() : null;
            if (RedirectUriRules.Refusal(value) is { } refusal)
            {
                return new OAuthError(OAuthError.InvalidRedirectUri, "redirect_uris: " + refusal + ".");
            }

            if (!redirects.Contains(value!, StringComparer.Ordinal))
            {
                redirects.Add(value!);
            }
        }

        var authMethod = OptionalString(metadata, "token_endpoint_auth_method", 64, out var bad) ?? OAuthClientAuth.Basic;
        if (bad is not null || !OAuthClientAuth.All.Contains(authMethod))
        {
            return Bad($"token_endpoint_auth_method must be one of {string.Join(", ", OAuthClientAuth.All)}.");
        }

        var grantTypes = StringArray(metadata, "grant_types", out bad) ?? [GrantAuthorizationCode];
        if (bad is not null || grantTypes.Count == 0 || grantTypes.Any(g => g is not (GrantAuthorizationCode or GrantRefreshToken)) || !grantTypes.Contains(GrantAuthorizationCode))
        {
            return Bad("grant_types must include authorization_code and may include refresh_token; nothing else is supported.");
        }

        var responseTypes = StringArray(metadata, "response_types", out bad) ?? ["code"];
        if (bad is not null || responseTypes is not ["code"])
        {
            return Bad("response_types must be [\"code\"]: only the authorization code flow is supported.");
        }

        var name = OptionalString(metadata, "client_name", 200, out bad);
        if (bad is not null || (name is not null && !Validate.Text(name, 200)))
        {
            return Bad("client_name must be a string of 1 to 200 characters.");
        }

        var clientUri = OptionalString(metadata, "client_uri", 2048, out bad);
        if (bad is not null || (clientUri is not null && !IsHttpsUrl(clientUri)))
        {
            return Bad("client_uri must be an https URL.");
        }

        var logoUri = OptionalString(metadata, "logo_uri", 2048, out bad);
        if (bad is not null || (logoUri is not null && !IsHttpsUrl(logoUri)))
        {
            return Bad("logo_uri must be an https URL.");
        }

        var scope = OptionalString(metadata, "scope", 2048, out bad);
        if (bad is not null)
        {
            return Bad("scope must be a space-separated string of at most 2048 characters.");
        }

        var scopes = Validate.Scopes(scope?.Split(' ', StringSplitOptions.RemoveEmptyEntries), required: false, field: "scope");
        if (!scopes.IsSuccess)
        {
            return Bad(scopes.Error.Message);
        }

        var softwareId = OptionalString(metadata, "software_id", 256, out bad);
        if (bad is not null)
        {
            return Bad("software_id must be a string of at most 256 characters.");
        }

        var softwareVersion = OptionalString(metadata, "software_version", 64, out bad);
        if (bad is not null)
        {
            return Bad("software_version must be a string of at most 64 characters.");
        }

        var applicationType = OptionalString(metadata, "application_type", 16, out bad);
        if (bad is not null || applicationType is not (null or "native" or "web"))
        {
            return Bad("application_type must be native or web.");
        }

        return new Metadata(redirects, authMethod, [.. grantTypes.Distinct(StringComparer.Ordinal)], name?.Trim() ?? "OAuth client", clientUri, logoUri,
            scopes.Value, softwareId, softwareVersion, applicationType);
    }

    private static bool IsHttpsUrl(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    private static string? OptionalString(JsonElement metadata, string name, int max, out string? bad)
    {
        bad = null;
        if (!metadata.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > max)
        {
            bad = name;
            return null;
        }

        return value.GetString();
    }

    private static List<string>? StringArray(JsonElement metadata, string name, out string? bad)
    {
        bad = null;
        if (!metadata.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 10 || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            bad = name;
            return null;
        }

        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    private async Task<OAuthResult<(OAuthClient Client, Agent Agent)>> FindForManagementAsync(string clientId, string? registrationAccessToken, CancellationToken cancellationToken)
    {
        var refused = OAuthError.Token("The registration access token is missing, invalid or expired for this client.");
        if (string.IsNullOrEmpty(registrationAccessToken) || clientId.Length > 40)
        {
            return refused;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var row = await db.OAuthClients.AsNoTracking().Where(c => c.ClientId == clientId)
            .Join(db.Agents.AsNoTracking(), c => c.ClientId, a => a.Id, (c, a) => new { Client = c, Agent = a })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null || row.Agent.Status == AgentStatus.Deleted
            || !Secrets.FixedTimeEquals(row.Client.RegistrationTokenHash, Secrets.Sha256Hex(registrationAccessToken))
            || row.Client.RegistrationTokenExpiresAt <= time.UtcNowMillis())
        {
            return refused;
        }

        return (row.Client, row.Agent);
    }

    private async Task AuditRefusalAsync(string developerId, string reason, CancellationToken cancellationToken)
    {
        await using (var db = await factory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Developers.AnyAsync(d => d.Id == developerId, cancellationToken))
            {
                return;
            }
        }

        var draft = AuditDraft.For(new AuditSubject(developerId), AuditActions.OAuthRegistrationRefused, "oauth-registration", AuditMetadata.With("reason", reason));
        await writes.AppendAsync(ctx => ctx.AppendAuditAsync(draft), cancellationToken);
    }
}
