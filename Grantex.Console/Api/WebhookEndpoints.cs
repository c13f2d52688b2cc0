using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grantex.Console.Api.Contracts;
using Grantex.Core.Common;
using Grantex.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Grantex.Console.Api;

/// <summary>
/// Webhooks (wire format §7.2): register (secret answered once), list, delete, deliveries with paging, plus ours —
/// a delivery's attempts, redeliver, send a test event, rotate the secret. Another developer's webhook is 404.
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/v1/webhooks").WithTags("Webhooks").RequireAuthorization(EndpointConventions.ApiKeyPolicy);
        webhooks.MapPost("", CreateWebhook).WithName(nameof(CreateWebhook)).WithErrors(400, 401, 402);
        webhooks.MapGet("", ListWebhooks).WithName(nameof(ListWebhooks)).WithErrors(401);
        webhooks.MapGet("/{id}", GetWebhook).WithName(nameof(GetWebhook)).WithErrors(401, 404);
        webhooks.MapDelete("/{id}", DeleteWebhook).WithName(nameof(DeleteWebhook)).WithErrors(401, 404);
        webhooks.MapPost("/{id}/rotate-secret", RotateWebhookSecret).WithName(nameof(RotateWebhookSecret)).WithErrors(401, 404);
        webhooks.MapPost("/{id}/test", SendWebhookTest).WithName(nameof(SendWebhookTest)).WithErrors(401, 404);
        webhooks.MapGet("/{id}/deliveries", ListWebhookDeliveries).WithName(nameof(ListWebhookDeliveries)).WithErrors(400, 401, 404);
        webhooks.MapGet("/{id}/deliveries/{deliveryId}/attempts", ListWebhookAttempts).WithName(nameof(ListWebhookAttempts)).WithErrors(401, 404);
        webhooks.MapPost("/{id}/deliveries/{deliveryId}/redeliver", RedeliverWebhook).WithName(nameof(RedeliverWebhook)).WithErrors(401, 404);
        return app;
    }

    public static async Task<Results<Created<WebhookCreatedResponse>, ApiError>> CreateWebhook(
        JsonObject? body, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        body ??= [];
        if (body.TryGetPropertyValue("url", out var urlNode) && urlNode is not null && urlNode.GetValueKind() != JsonValueKind.String)
        {
            return ApiError.From(GxError.BadRequest("url must be a string.", "url"));
        }

        List<string?>? events = null;
        if (body.TryGetPropertyValue("events", out var eventsNode) && eventsNode is not null)
        {
            if (eventsNode is not JsonArray array || array.Any(e => e is null || e.GetValueKind() != JsonValueKind.String))
            {
                return ApiError.From(GxError.BadRequest("events must be a list of event type strings.", "events"));
            }

            events = [.. array.Select(e => (string?)e)];
        }

        var caller = context.Caller();
        var result = await webhooks.CreateAsync(caller.Developer.Id, (string?)urlNode, events, caller.Actor, cancellationToken);
        return result.IsSuccess
            ? TypedResults.Created($"/v1/webhooks/{result.Value.Webhook.Id}", WebhookCreatedResponse.From(result.Value))
            : ApiError.From(result.Error);
    }

    public static async Task<Ok<WebhookListResponse>> ListWebhooks(HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var list = await webhooks.ListAsync(context.Caller().Developer.Id, cancellationToken);
        return TypedResults.Ok(new WebhookListResponse([.. list.Select(WebhookResponse.From)]));
    }

    public static async Task<Results<Ok<WebhookResponse>, ApiError>> GetWebhook(string id, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var webhook = await webhooks.GetAsync(context.Caller().Developer.Id, id, cancellationToken);
        return webhook is null ? ApiError.From(GxError.NotFound("Webhook not found.")) : TypedResults.Ok(WebhookResponse.From(webhook));
    }

    public static async Task<Results<NoContent, ApiError>> DeleteWebhook(string id, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await webhooks.DeleteAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.NoContent() : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<WebhookCreatedResponse>, ApiError>> RotateWebhookSecret(
        string id, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await webhooks.RotateSecretAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Ok(WebhookCreatedResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ApiError>> SendWebhookTest(
        string id, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await webhooks.SendTestAsync(caller.Developer.Id, id, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Accepted((string?)null, WebhookDeliveryResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    public static async Task<Results<Ok<WebhookDeliveryListResponse>, ApiError>> ListWebhookDeliveries(
        string id, string? status, string? page, string? pageSize, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        if (!TryInt(page, out var p))
        {
            return ApiError.From(GxError.BadRequest("page must be a whole number, 1 or more.", "page"));
        }

        if (!TryInt(pageSize, out var size))
        {
            return ApiError.From(GxError.BadRequest($"pageSize must be a whole number between 1 and {WebhookService.MaxPageSize}.", "pageSize"));
        }

        var result = await webhooks.ListDeliveriesAsync(context.Caller().Developer.Id, id, status, p, size, cancellationToken);
        if (!result.IsSuccess)
        {
            return ApiError.From(result.Error);
        }

        var v = result.Value;
        return TypedResults.Ok(new WebhookDeliveryListResponse([.. v.Deliveries.Select(WebhookDeliveryResponse.From)], v.Total, v.Page, v.PageSize));
    }

    public static async Task<Results<Ok<WebhookAttemptListResponse>, ApiError>> ListWebhookAttempts(
        string id, string deliveryId, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var attempts = await webhooks.AttemptsAsync(context.Caller().Developer.Id, id, deliveryId, cancellationToken);
        return attempts is null
            ? ApiError.From(GxError.NotFound("Delivery not found."))
            : TypedResults.Ok(new WebhookAttemptListResponse([.. attempts.Select(WebhookAttemptResponse.From)]));
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ApiError>> RedeliverWebhook(
        string id, string deliveryId, HttpContext context, WebhookService webhooks, CancellationToken cancellationToken)
    {
        var caller = context.Caller();
        var result = await webhooks.RedeliverAsync(caller.Developer.Id, id, deliveryId, caller.Actor, cancellationToken);
        return result.IsSuccess ? TypedResults.Accepted((string?)null, WebhookDeliveryResponse.From(result.Value)) : ApiError.From(result.Error);
    }

    private static bool TryInt(string? value, out int? parsed)
    {
        parsed = null;
        if (value is null)
        {
            return true;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            parsed = n;
            return true;
        }

        return false;
    }
}
