using Parley.Accounts;

namespace Parley.Billing.Payments;

/// <summary>The edge to a payment processor: Stripe in production, the built-in Sandbox otherwise. The wallet is
/// credited from what the provider confirms (at once for the Sandbox, from a signed webhook for Stripe), never
/// from a browser redirect.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    /// <summary>Starts a wallet top-up of <paramref name="payment"/>'s amount.</summary>
    Task<PaymentStart> StartTopUpAsync(Payment payment, BillingAccount account, PaymentReturn urls, CancellationToken cancellationToken);

    /// <summary>Moves the tenant to <paramref name="plan"/>: a new subscription, a change of price (prorated by the
    /// provider), or a cancellation at the period's end for a plan without a fee.</summary>
    Task<PlanStart> ChangePlanAsync(Tenant tenant, BillingAccount account, Plan plan, PaymentReturn urls, CancellationToken cancellationToken);

    /// <summary>Charges the saved card off-session (auto-recharge); <paramref name="idempotencyKey"/> makes a retry the same charge.</summary>
    Task<PaymentStart> ChargeSavedCardAsync(Payment payment, BillingAccount account, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>The provider's own page where the customer changes cards and downloads invoices, opened for this
    /// account and coming back to <paramref name="returnUrl"/>; null when there is none (no customer yet, the Sandbox).</summary>
    Task<string?> CustomerPortalUrlAsync(BillingAccount account, string returnUrl, CancellationToken cancellationToken);
}

/// <summary>Where a hosted payment page sends the payer back to.</summary>
public sealed record PaymentReturn(string SuccessUrl, string CancelUrl);

/// <summary>What the provider said to a payment it was asked to start.</summary>
public abstract record PaymentStart
{
    private PaymentStart()
    {
    }

    /// <summary>Paid already (the Sandbox; a saved card that went through).</summary>
    public sealed record Paid(string Reference, string? PaymentIntentId = null, string? ReceiptUrl = null) : PaymentStart;

    /// <summary>The payer finishes on the provider's page; the provider's webhook says how it ended.</summary>
    public sealed record Redirect(string Reference, string CheckoutUrl) : PaymentStart;

    /// <summary>Under way without the payer (a saved card still processing); a webhook ends it.</summary>
    public sealed record Processing(string Reference, string? PaymentIntentId) : PaymentStart;

    public sealed record Declined(string Reference, string Reason) : PaymentStart;
}

/// <summary>What the provider said to a change of plan.</summary>
public abstract record PlanStart
{
    private PlanStart()
    {
    }

    /// <summary>In force now (the Sandbox; a change of price on a live subscription).</summary>
    public sealed record Changed(SubscriptionStatus Status, string? SubscriptionId, DateTime? PeriodEndUtc, bool CancelAtPeriodEnd) : PlanStart;

    /// <summary>The payer subscribes on the provider's page; the plan changes when its webhook says so.</summary>
    public sealed record Redirect(string Reference, string CheckoutUrl) : PlanStart;
}
