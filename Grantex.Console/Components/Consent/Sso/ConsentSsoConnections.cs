using System.Collections.Concurrent;
using Grantex.Core.Sso;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Grantex.Console.Components.Consent.Sso;

/// <summary>
/// The connections the sign-in handler needs, loaded (with the secret decrypted) before a challenge or callback,
/// because options are built synchronously. A committed change of a connection drops both its entry here and its
/// cached <see cref="OpenIdConnectOptions"/>, so the next sign-in uses the new settings.
/// </summary>
public sealed class ConsentSsoConnections
{
    private readonly ConcurrentDictionary<string, Loaded> _loaded = new(StringComparer.Ordinal);
    private readonly SsoService _sso;

    public ConsentSsoConnections(SsoService sso, IOptionsMonitorCache<OpenIdConnectOptions> optionsCache)
    {
        _sso = sso;
        sso.Changed += id =>
        {
            _loaded.TryRemove(id, out _);
            optionsCache.TryRemove(ConsentSsoSchemes.SchemeFor(id));
        };
    }

    /// <summary>Loads an active connection; null when unknown or not active.</summary>
    public async Task<SsoConnection?> LoadAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        if (_loaded.TryGetValue(connectionId, out var loaded))
        {
            return loaded.Connection;
        }

        var connection = await _sso.FindAsync(connectionId, cancellationToken);
        if (connection is null || connection.Status != SsoConnectionStatus.Active)
        {
            return null;
        }

        _loaded[connectionId] = new Loaded(connection, _sso.ClientSecret(connection));
        return connection;
    }

    /// <summary>A connection loaded by <see cref="LoadAsync"/>, with its client secret.</summary>
    public (SsoConnection Connection, string ClientSecret) Get(string connectionId) =>
        _loaded.TryGetValue(connectionId, out var loaded)
            ? (loaded.Connection, loaded.ClientSecret)
            : throw new InvalidOperationException($"SSO connection {connectionId} was not loaded before its sign-in handler ran.");

    private sealed record Loaded(SsoConnection Connection, string ClientSecret);
}
