using Parley.Accounts;

namespace Parley.Billing.Payments;

/// <summary>The built-in payment provider: every payment goes through at once and no money moves, so a trial
/// install (and the offline tests) can upgrade, top up and auto-recharge end to end without an account anywhere.</summary>
public sealed class SandboxPayments(TimeProvider time) : IPaymentProvider
{
    public const string ProviderName = "Sandbox";

    public string Name => ProviderName;

    public Task<PaymentStart> StartTopUpAsync(Payment payment, BillingAccount account, PaymentReturn urls, CancellationToken cancellationToken) =>
        Task.FromResult<PaymentStart>(new PaymentStart.Paid($"sandbox_{payment.Id:N}"));

    public Task<PaymentStart> ChargeSavedCardAsync(Payment payment, BillingAccount account, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult<PaymentStart>(new PaymentStart.Paid($"sandbox_{payment.Id:N}"));

    public Task<PlanStart> ChangePlanAsync(Tenant tenant, BillingAccount account, Plan plan, PaymentReturn urls, CancellationToken cancellationToken)
    {
        if (plan == Plan.Free)
        {
            return Task.FromResult<PlanStart>(new PlanStart.Changed(SubscriptionStatus.None, null, null, CancelAtPeriodEnd: false));
        }

        var periodEnd = time.GetUtcNow().UtcDateTime.AddMonths(1);
        return Task.FromResult<PlanStart>(new PlanStart.Changed(SubscriptionStatus.Active, $"sandbox_sub_{tenant.Id:N}", periodEnd, CancelAtPeriodEnd: false));
    }

    /// <summary>The Sandbox keeps no cards or invoices: there is no portal to open.</summary>
    public Task<string?> CustomerPortalUrlAsync(BillingAccount account, string returnUrl, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
