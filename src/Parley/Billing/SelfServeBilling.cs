using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Billing.Payments;
using Parley.Data;

namespace Parley.Billing;

/// <summary>What a tenant does on its own: top up the wallet and choose a plan, through the configured payment
/// provider. The API and the billing page both come here.</summary>
public sealed class SelfServeBilling(
    ParleyDb db, IPaymentProvider provider, PaymentLedger ledger, IOptions<PaymentOptions> options, TimeProvider time)
{
    public PaymentOptions Limits => options.Value;

    /// <summary>The tenant's billing row, made (and tracked) on first use.</summary>
    public async Task<BillingAccount> AccountAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var account = await db.BillingAccounts.FirstOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
        if (account is null)
        {
            account = NewAccount(tenantId);
            db.BillingAccounts.Add(account);
        }

        return account;
    }

    /// <summary>The payment provider's customer portal for this tenant (cards, invoices), or null when it has none.</summary>
    public async Task<string?> CustomerPortalUrlAsync(Guid tenantId, string returnUrl, CancellationToken cancellationToken) =>
        await db.BillingAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken) is { } account
            ? await provider.CustomerPortalUrlAsync(account, returnUrl, cancellationToken)
            : null;

    public static BillingAccount NewAccount(Guid tenantId) => new()
    {
        TenantId = tenantId,
        AutoRechargeThresholdMicros = Money.FromDollars(5m).Micros,
        AutoRechargeAmountMicros = Money.FromDollars(20m).Micros,
        AutoRechargeMaxPerDay = 3,
    };

    /// <summary>Null when <paramref name="amount"/> is a top-up Parley takes; else why not.</summary>
    public string? CheckTopUp(decimal? amount)
    {
        var limits = options.Value;
        return amount is not { } value || value < limits.MinTopUpUsd || value > limits.MaxTopUpUsd || decimal.Round(value, 2) != value
            ? $"A top-up is an amount in US dollars (cents at most) from {limits.MinTopUpUsd:0.00} to {limits.MaxTopUpUsd:0.00}."
            : null;
    }

    /// <summary>Starts a top-up (checked with <see cref="CheckTopUp"/>). The payment row is saved before the
    /// provider is asked, so its webhook, however early, finds the payment it is about.</summary>
    public async Task<Payment> StartTopUpAsync(Guid tenantId, decimal amount, PaymentReturn urls, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(tenantId, cancellationToken);
        var payment = NewPayment(tenantId, PaymentKind.TopUp, Money.FromDollars(amount).Micros);
        await db.SaveChangesAsync(cancellationToken);
        PaymentStart start;
        try
        {
            start = await provider.StartTopUpAsync(payment, account, urls, cancellationToken);
        }
        catch (PaymentProviderException ex)
        {
            await ledger.FailAsync(payment, ex.Message, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            throw;
        }

        await ApplyAsync(payment, start, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return payment;
    }

    public Payment NewPayment(Guid tenantId, PaymentKind kind, long amountMicros, Plan? plan = null)
    {
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(),
            TenantId = tenantId,
            Kind = kind,
            Status = PaymentStatus.Pending,
            AmountMicros = amountMicros,
            Provider = provider.Name,
            Plan = plan,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.Payments.Add(payment);
        return payment;
    }

    /// <summary>Records what the provider said: paid (credited now), redirected, processing, or declined.</summary>
    public async Task ApplyAsync(Payment payment, PaymentStart start, CancellationToken cancellationToken)
    {
        switch (start)
        {
            case PaymentStart.Paid paid:
                payment.Reference = paid.Reference;
                payment.PaymentIntentId ??= paid.PaymentIntentId;
                await ledger.SucceedAsync(payment, paid.ReceiptUrl, cancellationToken);
                break;
            case PaymentStart.Redirect redirect:
                payment.Reference = redirect.Reference;
                payment.CheckoutUrl = redirect.CheckoutUrl;
                break;
            case PaymentStart.Processing processing:
                payment.Reference = processing.Reference;
                payment.PaymentIntentId ??= processing.PaymentIntentId;
                break;
            case PaymentStart.Declined declined:
                payment.Reference = declined.Reference;
                await ledger.FailAsync(payment, declined.Reason, cancellationToken);
                break;
        }
    }

    /// <summary>Moves the tenant to <paramref name="plan"/>, or starts the checkout that will. Returns the checkout
    /// page when the payer must go there.</summary>
    public async Task<string?> ChangePlanAsync(Tenant tenant, Plan plan, PaymentReturn urls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var account = await AccountAsync(tenant.Id, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        var start = await provider.ChangePlanAsync(tenant, account, plan, urls, cancellationToken);
        string? checkoutUrl = null;
        switch (start)
        {
            case PlanStart.Changed changed:
                var keepsPlanToPeriodEnd = changed.CancelAtPeriodEnd && plan == Plan.Free;
                tenant.Plan = keepsPlanToPeriodEnd ? tenant.Plan : plan;
                account.SubscriptionStatus = changed.Status;
                account.SubscriptionId = changed.SubscriptionId ?? (changed.Status == SubscriptionStatus.None ? null : account.SubscriptionId);
                account.CurrentPeriodEndUtc = changed.PeriodEndUtc;
                account.CancelAtPeriodEnd = changed.CancelAtPeriodEnd;
                account.PastDueSinceUtc = changed.Status == SubscriptionStatus.PastDue ? account.PastDueSinceUtc : null;
                break;
            case PlanStart.Redirect redirect:
                var payment = NewPayment(tenant.Id, PaymentKind.Plan, 0, plan);
                payment.Reference = redirect.Reference;
                payment.CheckoutUrl = checkoutUrl = redirect.CheckoutUrl;
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
        return checkoutUrl;
    }
}
