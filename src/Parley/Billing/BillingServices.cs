using Microsoft.Extensions.Options;
using Parley.Billing.Payments;
using Parley.Billing.Stripe;
using Parley.Work;

namespace Parley.Billing;

/// <summary>The wallet, self-serve payments and the provider chosen by <c>Parley:Payments:Provider</c>.</summary>
public static class BillingServices
{
    public static void AddParleyBilling(this IServiceCollection services)
    {
        services.AddScoped<Wallet>();
        services.AddScoped<PaymentLedger>();
        services.AddScoped<SelfServeBilling>();
        services.AddSingleton<SandboxPayments>();
        services.AddStripePayments();
        services.AddScoped<IPaymentProvider>(sp => sp.GetRequiredService<IOptions<PaymentOptions>>().Value.Provider == PaymentProviderKind.Stripe
            ? sp.GetRequiredService<StripePayments>()
            : sp.GetRequiredService<SandboxPayments>());
        services.AddWorkHandler<AutoRecharger>(AutoRecharger.Work);
        services.AddWorkHandler<LowBalanceNotice>(LowBalanceNotice.Work);
    }

    public static void MapParleyBilling(this RouteGroupBuilder api)
    {
        api.MapBillingApi();
        api.MapSelfServeBillingApi();
    }
}
