using System.Text.Json;
using System.Threading.Channels;
using Grantex.Core.Common;
using Microsoft.Extensions.Logging;

namespace Grantex.Core.Persistence;

/// <summary>
/// Carries console change notices between nodes (PostgreSQL): what this node's <see cref="ChangeNotifier"/> raises
/// after a commit is sent to the others, which raise it for their own open pages. Sent after the commit from a
/// background loop (a page refresh is a convenience, not an invariant, and must never slow the writer).
/// </summary>
public sealed partial class ChangeRelay(ChangeNotifier changes, ClusterNotifications cluster, ILogger<ChangeRelay> logger)
{
    private const char Kind = 'c';
    private const int MaxIds = 100;
    private readonly Channel<ChangeNotice> _outbox = Channel.CreateBounded<ChangeNotice>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
    [ThreadStatic]
    private static bool _relaying;

    public void Attach()
    {
        if (!cluster.Enabled)
        {
            return;
        }

        changes.Changed += notice =>
        {
            if (!_relaying)
            {
                _outbox.Writer.TryWrite(notice);
            }
        };
        cluster.On(Kind, (data, own) =>
        {
            if (!own && JsonSerializer.Deserialize<Wire>(data) is { } wire && Enum.TryParse<ChangeKind>(wire.K, out var kind))
            {
                _relaying = true;
                try
                {
                    changes.Publish(new ChangeNotice(kind, wire.D, wire.I));
                }
                finally
                {
                    _relaying = false;
                }
            }

            return Task.CompletedTask;
        });
        _ = Task.Run(SendLoopAsync);
    }

    private async Task SendLoopAsync()
    {
        await foreach (var notice in _outbox.Reader.ReadAllAsync())
        {
            try
            {
                // A long cascade reports thousands of ids; pages reload on the kind and developer, a sample of ids is enough.
                var wire = new Wire(notice.Kind.ToString(), notice.DeveloperId, [.. notice.Ids.Take(MaxIds)]);
                await cluster.SendAsync(Kind, JsonSerializer.Serialize(wire));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogSendFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other nodes about a console change")]
    private static partial void LogSendFailed(ILogger logger, Exception ex);

    private sealed record Wire(string K, string D, string[] I);
}
