namespace Grantex.Console.Components.Pages.Webhooks;

/// <summary>The services behind the webhooks page.</summary>
public static class WebhooksFeature
{
    public static IServiceCollection AddWebhooksFeature(this IServiceCollection services)
    {
        services.AddScoped<WebhookAdmin>();
        return services;
    }
}
