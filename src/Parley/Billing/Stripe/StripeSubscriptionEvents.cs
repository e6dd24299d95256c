using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Agent;
using Parley.Data;
using Stripe;
using Stripe.Checkout;
using Plan = Parley.Accounts.Plan;

namespace Parley.Billing.Stripe;

/// <summary>
/// Plan subscriptions from Stripe's events: the subscription's own state (status, period end, cancel at period end,
/// price) decides the tenant's plan, and an event older than the last one applied changes nothing. Invoices are the
/// plan's receipts; a failed one makes the subscription past due, which the AI gate forgives for a grace period.
/// </summary>
public sealed class StripeSubscriptionEvents(ParleyDb db, PaymentLedger ledger, ActivityLog activity, IOptions<StripeOptions> options, TimeProvider time)
{
    public async Task<StripeEventResult> CheckoutCompletedAsync(Session session, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.IgnoreQueryFilters()
            .FirstOrDefaultAsync(p => p.Provider == StripePayments.ProviderName && p.Reference == session.Id, cancellationToken);
        if (payment is null)
        {
            return session.Metadata?.ContainsKey(StripePayments.TenantIdKey) == true ? StripeEventResult.NotYet : StripeEventResult.Done;
        }

        db.UseTenant(payment.TenantId);
        var tenant = await db.Tenants.FirstAsync(t => t.Id == payment.TenantId, cancellationToken);
        var account = await db.BillingAccounts.FirstAsync(cancellationToken);
        await ledger.SucceedAsync(payment, null, cancellationToken);
        account.CustomerId ??= session.CustomerId;
        account.SubscriptionId = session.SubscriptionId ?? account.SubscriptionId;
        if (account.SubscriptionStatus is SubscriptionStatus.None or SubscriptionStatus.Incomplete or SubscriptionStatus.Canceled)
        {
            account.SubscriptionStatus = SubscriptionStatus.Active;
            account.CancelAtPeriodEnd = false;
            account.PastDueSinceUtc = null;
        }

        if (payment.Plan is { } plan && account.SubscriptionStatus != SubscriptionStatus.Canceled)
        {
            Record(tenant, $"Plan changed from {tenant.Plan} to {plan} (Stripe checkout).");
            tenant.Plan = plan;
        }

        return StripeEventResult.Done;
    }

    public async Task<StripeEventResult> SubscriptionAsync(string type, Subscription subscription, DateTime occurredUtc, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(subscription.CustomerId, cancellationToken);
        if (account is null)
        {
            return subscription.Metadata?.ContainsKey(StripePayments.TenantIdKey) == true ? StripeEventResult.NotYet : StripeEventResult.Done;
        }

        var current = account.SubscriptionId is null || account.SubscriptionId == subscription.Id;
        if ((account.SubscriptionEventAtUtc is { } last && occurredUtc < last) || (!current && type == EventTypes.CustomerSubscriptionDeleted))
        {
            return StripeEventResult.Done; // older news, or the end of a subscription already replaced
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == account.TenantId, cancellationToken);
        var status = type == EventTypes.CustomerSubscriptionDeleted ? SubscriptionStatus.Canceled : StripePayments.StatusOf(subscription.Status);
        account.SubscriptionId = subscription.Id;
        account.SubscriptionStatus = status;
        account.SubscriptionEventAtUtc = occurredUtc;
        account.CancelAtPeriodEnd = subscription.CancelAtPeriodEnd && status != SubscriptionStatus.Canceled;
        account.CurrentPeriodEndUtc = StripePayments.PeriodEnd(subscription) ?? account.CurrentPeriodEndUtc;
        account.PastDueSinceUtc = status == SubscriptionStatus.PastDue ? account.PastDueSinceUtc ?? occurredUtc : null;
        var plan = status == SubscriptionStatus.Canceled ? Plan.Free : PlanOf(subscription) ?? tenant.Plan;
        if (plan != tenant.Plan)
        {
            Record(tenant, $"Plan changed from {tenant.Plan} to {plan} (Stripe subscription {status}).");
            tenant.Plan = plan;
        }

        return StripeEventResult.Done;
    }

    public async Task<StripeEventResult> InvoiceAsync(string type, Invoice invoice, DateTime occurredUtc, CancellationToken cancellationToken)
    {
        var account = await AccountAsync(invoice.CustomerId, cancellationToken);
        if (account is null || invoice.Parent?.SubscriptionDetails?.SubscriptionId is null)
        {
            return StripeEventResult.Done; // not a plan invoice of a Parley customer
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == account.TenantId, cancellationToken);
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.Provider == StripePayments.ProviderName && p.Reference == invoice.Id, cancellationToken);
        if (payment is null)
        {
            payment = new Payment
            {
                Id = Guid.CreateVersion7(),
                TenantId = account.TenantId,
                Kind = PaymentKind.Plan,
                Status = PaymentStatus.Pending,
                Provider = StripePayments.ProviderName,
                Reference = invoice.Id,
                Plan = tenant.Plan,
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            };
            db.Payments.Add(payment);
        }

        payment.ReceiptUrl = invoice.HostedInvoiceUrl ?? payment.ReceiptUrl;
        if (type == EventTypes.InvoicePaid)
        {
            payment.AmountMicros = StripePayments.Micros(invoice.AmountPaid);
            await ledger.SucceedAsync(payment, invoice.HostedInvoiceUrl, cancellationToken);
            if (account.SubscriptionStatus == SubscriptionStatus.PastDue)
            {
                account.SubscriptionStatus = SubscriptionStatus.Active;
                account.PastDueSinceUtc = null;
            }
        }
        else if (payment.Status == PaymentStatus.Pending)
        {
            payment.AmountMicros = StripePayments.Micros(invoice.AmountDue);
            await ledger.FailAsync(payment, $"The card was declined for the {tenant.Plan} plan's invoice.", cancellationToken);
            if (account.SubscriptionStatus == SubscriptionStatus.Active)
            {
                account.SubscriptionStatus = SubscriptionStatus.PastDue;
            }

            account.PastDueSinceUtc ??= occurredUtc;
            Record(tenant, $"The {tenant.Plan} plan's payment failed; AI replies continue during the grace period while Stripe retries.");
        }

        return StripeEventResult.Done;
    }

    private async Task<BillingAccount?> AccountAsync(string? customerId, CancellationToken cancellationToken)
    {
        var account = customerId is null ? null
            : await db.BillingAccounts.IgnoreQueryFilters().FirstOrDefaultAsync(a => a.CustomerId == customerId, cancellationToken);
        if (account is not null)
        {
            db.UseTenant(account.TenantId);
        }

        return account;
    }

    private Plan? PlanOf(Subscription subscription)
    {
        if (subscription.Metadata?.TryGetValue(StripePayments.PlanKey, out var named) == true && Enum.TryParse<Plan>(named, out var plan) && Enum.IsDefined(plan))
        {
            return plan;
        }

        var price = subscription.Items?.Data is [{ Price.Id: { } id }, ..] ? id : null;
        return options.Value.Prices.Where(p => p.Value == price).Select(p => (Plan?)p.Key).FirstOrDefault();
    }

    private void Record(Tenant tenant, string detail) => activity.Record(tenant.Id, null, ActivityKind.Billing, detail);
}
