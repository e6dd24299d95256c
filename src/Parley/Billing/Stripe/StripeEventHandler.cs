using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Work;
using Stripe;
using Stripe.Checkout;

namespace Parley.Billing.Stripe;

/// <summary>What an event's handling came to: applied (or nothing to do), or waiting for the Parley record it names
/// (an event that outran the request that made the payment), which the queue retries.</summary>
public enum StripeEventResult
{
    Done,
    NotYet,
}

/// <summary>
/// Applies one stored Stripe event, once (the queue item commits with its effects). Payments are found by the
/// <c>parley_payment_id</c> Parley put in their metadata or by the payment intent Stripe names; every wallet
/// effect goes through <see cref="PaymentLedger"/> under a key of its own, so copies and reorderings change nothing.
/// </summary>
public sealed partial class StripeEventHandler(
    ParleyDb db, PaymentLedger ledger, StripeSubscriptionEvents subscriptions, TimeProvider time, ILogger<StripeEventHandler> logger) : IWorkHandler
{
    public sealed record Payload(string EventId);

    /// <summary>One at a time: events about one payment or subscription never race each other.</summary>
    public static readonly WorkKind<Payload> Work = new("stripe.event", (_, _) => "stripe-events");

    /// <summary>How often an event that names a payment Parley does not know yet is looked at again.</summary>
    public const int MaxWaits = 8;

    /// <summary>Why an event is put back: it names a payment Parley does not know yet.</summary>
    public const string WaitingForPayment = "Waiting for the payment this event names.";

    private static readonly HashSet<string> Handled =
    [
        EventTypes.CheckoutSessionCompleted, EventTypes.CheckoutSessionAsyncPaymentSucceeded, EventTypes.CheckoutSessionAsyncPaymentFailed,
        EventTypes.CheckoutSessionExpired, EventTypes.PaymentIntentSucceeded, EventTypes.PaymentIntentPaymentFailed,
        EventTypes.InvoicePaid, EventTypes.InvoicePaymentFailed, EventTypes.CustomerSubscriptionCreated, EventTypes.CustomerSubscriptionUpdated,
        EventTypes.CustomerSubscriptionDeleted, EventTypes.ChargeRefunded, EventTypes.ChargeDisputeCreated,
    ];

    public static bool Handles(string? type) => type is not null && Handled.Contains(type);

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var eventId = Work.Read(item).EventId;
        var stored = await db.WebhookEvents.AsNoTracking().FirstOrDefaultAsync(e => e.Provider == StripeWebhookApi.Provider && e.EventId == eventId, cancellationToken);
        if (stored is null)
        {
            return WorkResult.Fail($"Stripe event {eventId} is no longer stored.");
        }

        var stripeEvent = EventUtility.ParseEvent(stored.Body, throwOnApiVersionMismatch: false);
        var occurred = DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc);
        var result = stripeEvent.Data.Object switch
        {
            Session session => await CheckoutAsync(stripeEvent.Type, session, cancellationToken),
            PaymentIntent intent => await PaymentIntentAsync(stripeEvent.Type, intent, cancellationToken),
            Invoice invoice => await subscriptions.InvoiceAsync(stripeEvent.Type, invoice, occurred, cancellationToken),
            Subscription subscription => await subscriptions.SubscriptionAsync(stripeEvent.Type, subscription, occurred, cancellationToken),
            Charge charge => await RefundAsync(charge, cancellationToken),
            Dispute dispute => await DisputeAsync(dispute, cancellationToken),
            _ => StripeEventResult.Done,
        };
        if (result == StripeEventResult.Done)
        {
            LogApplied(logger, eventId, stripeEvent.Type);
            return WorkResult.Done;
        }

        if (item.Attempts >= MaxWaits)
        {
            LogUnknown(logger, eventId, stripeEvent.Type);
            return WorkResult.Fail($"Stripe event {eventId} ({stripeEvent.Type}) names a payment Parley does not know.");
        }

        return WorkResult.RetryAt(time.GetUtcNow().UtcDateTime + WorkQueueWorker.Backoff(item.Attempts), WaitingForPayment);
    }

    private async Task<StripeEventResult> CheckoutAsync(string type, Session session, CancellationToken cancellationToken)
    {
        if (session.Mode == "subscription")
        {
            return type == EventTypes.CheckoutSessionCompleted ? await subscriptions.CheckoutCompletedAsync(session, cancellationToken) : StripeEventResult.Done;
        }

        var found = await ByMetadataAsync(session.Metadata, cancellationToken);
        if (found.Payment is not { } payment)
        {
            return found.Ours ? StripeEventResult.NotYet : StripeEventResult.Done;
        }

        payment.PaymentIntentId ??= session.PaymentIntentId;
        if ((type == EventTypes.CheckoutSessionCompleted && session.PaymentStatus == "paid") || type == EventTypes.CheckoutSessionAsyncPaymentSucceeded)
        {
            await ledger.SucceedAsync(payment, null, cancellationToken);
        }
        else if (type is EventTypes.CheckoutSessionAsyncPaymentFailed or EventTypes.CheckoutSessionExpired)
        {
            await ledger.FailAsync(payment, type == EventTypes.CheckoutSessionExpired ? "The checkout expired unpaid." : "The payment did not go through.", cancellationToken);
        }

        return StripeEventResult.Done;
    }

    private async Task<StripeEventResult> PaymentIntentAsync(string type, PaymentIntent intent, CancellationToken cancellationToken)
    {
        var found = await ByMetadataAsync(intent.Metadata, cancellationToken);
        if (found.Payment is not { } payment)
        {
            return found.Ours ? StripeEventResult.NotYet : StripeEventResult.Done;
        }

        payment.PaymentIntentId ??= intent.Id;
        if (type == EventTypes.PaymentIntentSucceeded)
        {
            if (intent.PaymentMethodId is { } card && intent.SetupFutureUsage == "off_session")
            {
                var account = await db.BillingAccounts.FirstOrDefaultAsync(cancellationToken);
                account?.PaymentMethodId = card;
            }

            await ledger.SucceedAsync(payment, null, cancellationToken);
        }
        else
        {
            await ledger.FailAsync(payment, intent.LastPaymentError?.Message ?? "The card was declined.", cancellationToken);
        }

        return StripeEventResult.Done;
    }

    private async Task<StripeEventResult> RefundAsync(Charge charge, CancellationToken cancellationToken)
    {
        if (await ByIntentAsync(charge.PaymentIntentId, cancellationToken) is not { } payment)
        {
            return charge.PaymentIntentId is null ? StripeEventResult.Done : StripeEventResult.NotYet;
        }

        payment.ReceiptUrl ??= charge.ReceiptUrl;
        await ledger.RefundAsync(payment, StripePayments.Micros(charge.AmountRefunded), cancellationToken);
        return StripeEventResult.Done;
    }

    private async Task<StripeEventResult> DisputeAsync(Dispute dispute, CancellationToken cancellationToken)
    {
        if (await ByIntentAsync(dispute.PaymentIntentId, cancellationToken) is not { } payment)
        {
            return dispute.PaymentIntentId is null ? StripeEventResult.Done : StripeEventResult.NotYet;
        }

        await ledger.DisputeAsync(payment, dispute.Id, StripePayments.Micros(dispute.Amount), dispute.Reason ?? "unspecified", cancellationToken);
        return StripeEventResult.Done;
    }

    private sealed record Found(bool Ours, Payment? Payment);

    /// <summary>The payment Parley named in an object's metadata (acting for its tenant from here on). Not ours
    /// when the metadata names none (another integration on the same Stripe account).</summary>
    private async Task<Found> ByMetadataAsync(Dictionary<string, string>? metadata, CancellationToken cancellationToken)
    {
        if (metadata is null || !metadata.TryGetValue(StripePayments.PaymentIdKey, out var value) || !Guid.TryParseExact(value, "N", out var id))
        {
            return new Found(false, null);
        }

        var payment = await db.Payments.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (payment is not null)
        {
            db.UseTenant(payment.TenantId);
        }

        return new Found(true, payment);
    }

    private async Task<Payment?> ByIntentAsync(string? intentId, CancellationToken cancellationToken)
    {
        var payment = intentId is null ? null
            : await db.Payments.IgnoreQueryFilters().FirstOrDefaultAsync(p => p.PaymentIntentId == intentId && p.Provider == StripePayments.ProviderName, cancellationToken);
        if (payment is not null)
        {
            db.UseTenant(payment.TenantId);
        }

        return payment;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) applied")]
    private static partial void LogApplied(ILogger logger, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stripe event {EventId} ({EventType}) names a payment Parley does not know; given up")]
    private static partial void LogUnknown(ILogger logger, string eventId, string eventType);
}
