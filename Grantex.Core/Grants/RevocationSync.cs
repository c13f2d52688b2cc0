using System.Globalization;
using System.Text;
using Grantex.Core.Common;
using Grantex.Core.Persistence;

namespace Grantex.Core.Grants;

/// <summary>
/// Keeps every node's <see cref="RevocationIndex"/> whole when several nodes share a PostgreSQL database: a command
/// that revokes grants or tokens, or suspends or restores an agent, announces it inside its transaction
/// (<see cref="WriteContext.AnnounceAsync"/>), and every node's listener applies it. A node whose listener
/// reconnects reloads the index from the database. Online verification waits for <see cref="ClusterNotifications.SyncAsync"/>
/// first, so it never answers from an index that misses a revocation committed before the request arrived.
/// </summary>
public sealed class RevocationSync(RevocationIndex index, ClusterNotifications cluster)
{
    private const char Grants = 'g';
    private const char Tokens = 't';
    private const char Agents = 'a';

    /// <summary>Registers the handlers (once, at start-up).</summary>
    public void Attach()
    {
        cluster.On(Grants, (data, _) =>
        {
            foreach (var (id, expires) in Parse(data))
            {
                index.RevokeGrant(id, expires);
            }

            return Task.CompletedTask;
        });
        cluster.On(Tokens, (data, _) =>
        {
            foreach (var (id, expires) in Parse(data))
            {
                index.RevokeToken(id, expires);
            }

            return Task.CompletedTask;
        });
        cluster.On(Agents, (data, _) =>
        {
            if (data.Length > 1)
            {
                index.SetAgentSuspended(data[1..], data[0] == '+');
            }

            return Task.CompletedTask;
        });
        cluster.OnReconnected(index.LoadAsync);
    }

    /// <summary>Announces grants a cascade revoked, in as many messages as their ids need.</summary>
    public static async Task AnnounceGrantsAsync(WriteContext ctx, IReadOnlyList<RevokedGrantRow> rows)
    {
        if (!ctx.Announces)
        {
            return; // one node: nothing to tell (a 10,000-grant cascade would build ~300 KB of messages for nobody)
        }

        foreach (var chunk in Chunks(rows.Select(r => (r.Id, r.ExpiresAt))))
        {
            await ctx.AnnounceAsync(Grants, chunk);
        }
    }

    public static Task AnnounceTokenAsync(WriteContext ctx, string tokenId, DateTime expiresAt) =>
        ctx.AnnounceAsync(Tokens, Entry(tokenId, TimeFormat.ToUnixMillis(expiresAt)));

    public static Task AnnounceAgentAsync(WriteContext ctx, string agentId, bool suspended) =>
        ctx.AnnounceAsync(Agents, (suspended ? "+" : "-") + agentId);

    private static string Entry(string id, long expiresAt) => id + ":" + expiresAt.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Chunks(IEnumerable<(string Id, long ExpiresAt)> entries)
    {
        var builder = new StringBuilder();
        foreach (var (id, expires) in entries)
        {
            var entry = Entry(id, expires);
            if (builder.Length > 0 && builder.Length + entry.Length + 1 > ClusterNotifications.MaxPayload - 64)
            {
                yield return builder.ToString();
                builder.Clear();
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(entry);
        }

        if (builder.Length > 0)
        {
            yield return builder.ToString();
        }
    }

    private static IEnumerable<(string Id, DateTime ExpiresAt)> Parse(string data)
    {
        foreach (var entry in data.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon > 0 && long.TryParse(entry.AsSpan(colon + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
            {
                yield return (entry[..colon], TimeFormat.FromUnixMillis(ms));
            }
        }
    }
}
