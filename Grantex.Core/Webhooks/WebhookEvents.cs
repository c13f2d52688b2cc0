using Grantex.Core.Events;

namespace Grantex.Core.Webhooks;

/// <summary>
/// The event types a webhook may subscribe to: every type the server emits (beyond the reference's three), except
/// <c>webhook.test</c>, which is only ever sent to the one webhook that asked for it.
/// </summary>
public static class WebhookEvents
{
    public static readonly IReadOnlyList<string> Subscribable = [.. EventTypes.All.Where(t => t != EventTypes.WebhookTest)];

    public static bool IsSubscribable(string type) => type != EventTypes.WebhookTest && EventTypes.IsKnown(type);
}
