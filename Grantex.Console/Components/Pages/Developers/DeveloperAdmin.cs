using Grantex.Console.Components.Account;
using Grantex.Core.Agents;
using Grantex.Core.Common;
using Grantex.Core.Developers;
using Grantex.Core.Identity;
using Grantex.Core.Sso;

namespace Grantex.Console.Components.Pages.Developers;

/// <summary>The console's developer and API-key actions, permission-checked on the server.</summary>
public sealed class DeveloperAdmin(OperatorAccess access, DeveloperService developers, AgentService agents, SsoService sso)
{
    public async Task<Result<IReadOnlyList<DeveloperRow>>> ListAsync(CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list developers", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var rows = new List<DeveloperRow>();
        foreach (var developer in await developers.ListAsync(cancellationToken))
        {
            rows.Add(new DeveloperRow(developer, await developers.ListKeysAsync(developer.Id, cancellationToken), await agents.CountAsync(developer.Id, cancellationToken)));
        }

        return rows;
    }

    /// <summary>The developer choices for selectors (every developer, by name).</summary>
    public async Task<Result<IReadOnlyList<DeveloperInfo>>> ChoicesAsync(CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list developers", cancellationToken: cancellationToken);
        return allowed.IsSuccess ? Result<IReadOnlyList<DeveloperInfo>>.Ok(await developers.ListAsync(cancellationToken)) : allowed.Error;
    }

    /// <summary>Creates a developer; the result carries its first API key, which is shown once and never again.</summary>
    public async Task<Result<CreatedDeveloper>> CreateAsync(string? name, DeveloperMode mode, string? email, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "create developers", name, cancellationToken);
        return allowed.IsSuccess ? await developers.CreateAsync(name, mode, email, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    /// <summary>Issues a new API key (shown once); the current keys keep working for <paramref name="grace"/>.</summary>
    public async Task<Result<(string ApiKey, DateTime RotatedAt)>> RotateKeyAsync(string developerId, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "rotate API keys", developerId, cancellationToken);
        return allowed.IsSuccess ? await developers.RotateKeyAsync(developerId, grace, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    /// <summary>Sets when consents need a passkey (presence proof) for this developer's agents.</summary>
    public async Task<Result<DeveloperInfo>> SetPresenceRequirementAsync(string developerId, PresenceRequirement requirement, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "change developer settings", developerId, cancellationToken);
        return allowed.IsSuccess
            ? await developers.UpdateSettingsAsync(developerId, new DeveloperSettingsUpdate(null, null, requirement), allowed.Value.Actor, cancellationToken)
            : allowed.Error;
    }

    /// <summary>Sets how the person answering a consent must be identified (none or sso).</summary>
    public async Task<Result<DeveloperInfo>> SetPrincipalAuthenticationAsync(string developerId, IdentityLevel level, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "change developer settings", developerId, cancellationToken);
        return allowed.IsSuccess
            ? await developers.UpdateSettingsAsync(developerId, new DeveloperSettingsUpdate(null, null, null, level), allowed.Value.Actor, cancellationToken)
            : allowed.Error;
    }

    public async Task<Result<IReadOnlyList<SsoConnection>>> ConnectionsAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list SSO connections", cancellationToken: cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var list = (await sso.ListAsync(developerId, cancellationToken)).ToList();
        if (await sso.FindConfigAsync(developerId, cancellationToken) is { } legacy)
        {
            list.Add(legacy);
        }

        return list;
    }

    public async Task<Result<SsoConnection>> CreateConnectionAsync(string developerId, SsoConnectionInput input, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "create SSO connections", developerId, cancellationToken);
        return allowed.IsSuccess ? await sso.CreateAsync(developerId, input with { Protocol = "oidc" }, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    public async Task<Result<SsoConnection>> UpdateConnectionAsync(string developerId, string connectionId, SsoConnectionInput input, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "change SSO connections", connectionId, cancellationToken);
        return allowed.IsSuccess ? await sso.UpdateAsync(developerId, connectionId, input, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    public async Task<Result<bool>> DeleteConnectionAsync(SsoConnection connection, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "delete SSO connections", connection.Id, cancellationToken);
        return allowed.IsSuccess
            ? await sso.DeleteAsync(connection.DeveloperId, connection.Id, connection.IsLegacyConfig, allowed.Value.Actor, cancellationToken)
            : allowed.Error;
    }

    public async Task<Result<SsoTestResult>> TestConnectionAsync(SsoConnection connection, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "test SSO connections", connection.Id, cancellationToken);
        return allowed.IsSuccess ? await sso.TestAsync(connection, cancellationToken) : allowed.Error;
    }
}
