namespace Parley.Webhooks;

public static class WebhookServices
{
    public static void AddParleyWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookEventsInterceptor>();
        services.AddScoped<WebhookEvents>();
        WebhookDeliverer.AddTo(services);
    }
}
