using Microsoft.Extensions.Logging;

namespace Grantex.Core.Common;

/// <summary>
/// Tells open console pages that something changed, so they refresh without a reload (Blazor Server push). Raised
/// only after the change is durable (from <c>WriteContext.AfterCommit</c>), by the same Core code path the REST API
/// and the console share, so a revocation made through either reaches every open console. Handlers must return
/// quickly (they run on the writer's thread); a failing handler is logged and never affects the write.
/// </summary>
public sealed partial class ChangeNotifier(ILogger<ChangeNotifier> logger)
{
    public event Action<ChangeNotice>? Changed;

    public void Publish(ChangeNotice notice)
    {
        var handlers = Changed;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<ChangeNotice>>())
        {
            try
            {
                handler(notice);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogHandlerFailed(logger, ex, notice.Kind);
            }
        }
    }

    public void Publish(ChangeKind kind, string developerId, params string[] ids) => Publish(new ChangeNotice(kind, developerId, ids));

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change subscriber failed while handling {Kind}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception ex, ChangeKind kind);
}
