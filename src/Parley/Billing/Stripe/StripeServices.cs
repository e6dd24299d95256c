using Microsoft.Extensions.Options;
using Parley.Work;
using Stripe;

namespace Parley.Billing.Stripe;

/// <summary>Stripe's client (made only when Stripe is the provider), its provider and its event handling.</summary>
public static class StripeServices
{
    public const string HttpClientName = "stripe";

    public static void AddStripePayments(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<StripeOptions>>().Value.RequestTimeout);
        services.AddSingleton<IStripeClient>(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            var http = new SystemNetHttpClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), maxNetworkRetries: 2);
            return new StripeClient(settings.ApiKey, httpClient: http, apiBase: settings.BaseUrl.TrimEnd('/'));
        });
        services.AddScoped<StripePayments>();
        services.AddScoped<StripeSubscriptionEvents>();
        services.AddWorkHandler<StripeEventHandler>(StripeEventHandler.Work);
    }
}
