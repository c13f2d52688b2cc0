using Grantex.Console.Components.Account;
using Grantex.Console.Components.Shared;
using Grantex.Core.Common;
using Grantex.Core.Webhooks;

namespace Grantex.Console.Components.Pages.Webhooks;

/// <summary>
/// The console's webhook actions, each permission-checked on the server (<see cref="OperatorAccess"/>) as for
/// policies: every role reads webhooks, deliveries and attempts; only administrators create, delete, rotate, redeliver
/// and send test events.
/// </summary>
public sealed class WebhookAdmin(OperatorAccess access, WebhookService webhooks, DeveloperNames developers)
{
    public async Task<Result<IReadOnlyList<Webhook>>> ListAsync(string developerId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list webhooks", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var known = await KnownDeveloperAsync(developerId, cancellationToken);
        return known is null ? Result<IReadOnlyList<Webhook>>.Ok(await webhooks.ListAsync(developerId, cancellationToken)) : known;
    }

    public async Task<Result<WebhookDeliveryPage>> DeliveriesAsync(string developerId, string webhookId, string? status, int page, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list webhook deliveries", webhookId, cancellationToken);
        return allowed.IsSuccess ? await webhooks.ListDeliveriesAsync(developerId, webhookId, status, page, 20, cancellationToken) : allowed.Error;
    }

    public async Task<Result<IReadOnlyList<WebhookAttempt>>> AttemptsAsync(string developerId, string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Read, "list webhook attempts", deliveryId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var attempts = await webhooks.AttemptsAsync(developerId, webhookId, deliveryId, cancellationToken);
        return attempts is null ? GxError.NotFound("Delivery not found.") : Result<IReadOnlyList<WebhookAttempt>>.Ok(attempts);
    }

    public async Task<Result<WebhookWithSecret>> CreateAsync(string developerId, string? url, IReadOnlyList<string?> events, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "create webhooks", developerId, cancellationToken);
        if (!allowed.IsSuccess)
        {
            return allowed.Error;
        }

        var known = await KnownDeveloperAsync(developerId, cancellationToken);
        return known ?? await webhooks.CreateAsync(developerId, url, events, allowed.Value.Actor, cancellationToken);
    }

    public async Task<Result<Webhook>> DeleteAsync(string developerId, string webhookId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "delete webhooks", webhookId, cancellationToken);
        return allowed.IsSuccess ? await webhooks.DeleteAsync(developerId, webhookId, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    public async Task<Result<WebhookWithSecret>> RotateSecretAsync(string developerId, string webhookId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "rotate webhook secrets", webhookId, cancellationToken);
        return allowed.IsSuccess ? await webhooks.RotateSecretAsync(developerId, webhookId, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    public async Task<Result<WebhookDelivery>> SendTestAsync(string developerId, string webhookId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "send webhook test events", webhookId, cancellationToken);
        return allowed.IsSuccess ? await webhooks.SendTestAsync(developerId, webhookId, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    public async Task<Result<WebhookDelivery>> RedeliverAsync(string developerId, string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        var allowed = await access.RequireAsync(ConsolePermission.Manage, "redeliver webhook events", deliveryId, cancellationToken);
        return allowed.IsSuccess ? await webhooks.RedeliverAsync(developerId, webhookId, deliveryId, allowed.Value.Actor, cancellationToken) : allowed.Error;
    }

    private async Task<GxError?> KnownDeveloperAsync(string developerId, CancellationToken cancellationToken)
    {
        var names = await developers.GetAsync(cancellationToken);
        return developerId.StartsWith(Ids.Developer, StringComparison.Ordinal) && names.ContainsKey(developerId)
            ? null
            : GxError.BadRequest("Choose the developer whose webhooks to show.");
    }
}
