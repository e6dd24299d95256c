using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Billing;

/// <summary>
/// Writes what payments do to the wallet, each under its own ledger key, so a provider's event delivered twice,
/// late or out of order changes the balance once: a payment's credit, a failure (a zero line, so the ledger
/// shows it), and the refunds and disputes that take money back out. Changes join the caller's unit of work.
/// </summary>
public sealed class PaymentLedger(ParleyDb db, TimeProvider time)
{
    /// <summary>Marks <paramref name="payment"/> paid and, for a wallet payment, credits its amount once.</summary>
    public async Task SucceedAsync(Payment payment, string? receiptUrl, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (payment.Status is PaymentStatus.Pending or PaymentStatus.Failed)
        {
            payment.Status = PaymentStatus.Succeeded;
            payment.FailureReason = null;
        }

        payment.CompletedAtUtc ??= now;
        payment.CheckoutUrl = null;
        payment.ReceiptUrl = receiptUrl ?? payment.ReceiptUrl;
        if (payment.Kind == PaymentKind.Plan)
        {
            return; // a plan's fee goes to the subscription, not into the wallet
        }

        var note = payment.Kind == PaymentKind.AutoRecharge ? "Auto-recharge" : "Top-up";
        await AddOnceAsync(payment, WalletEntryKind.TopUp, payment.AmountMicros, payment.CreditKey, $"{note} ({payment.Provider})", cancellationToken);
    }

    /// <summary>Marks a payment that has not gone through as failed, and shows the failure in the ledger once.</summary>
    public async Task FailAsync(Payment payment, string reason, CancellationToken cancellationToken)
    {
        if (payment.Status != PaymentStatus.Pending)
        {
            return; // a late failure of an attempt that later succeeded changes nothing
        }

        payment.Status = PaymentStatus.Failed;
        payment.FailureReason = reason.Length > 500 ? reason[..500] : reason;
        payment.CompletedAtUtc = time.GetUtcNow().UtcDateTime;
        payment.CheckoutUrl = null;
        var what = payment.Kind switch { PaymentKind.Plan => "Plan payment", PaymentKind.AutoRecharge => "Auto-recharge", _ => "Top-up" };
        await AddOnceAsync(payment, WalletEntryKind.PaymentFailed, 0, $"failed:{payment.Id:N}",
            Truncate($"{what} of {new Money(payment.AmountMicros).Dollars:0.00} USD failed: {reason}"), cancellationToken);
    }

    /// <summary>Takes back what the provider refunded so far (<paramref name="refundedMicros"/> in total): only the
    /// part not taken back yet, and never more than the payment credited.</summary>
    public async Task RefundAsync(Payment payment, long refundedMicros, CancellationToken cancellationToken)
    {
        if (payment.Kind == PaymentKind.Plan || payment.Status == PaymentStatus.Pending)
        {
            return;
        }

        var taken = await TakenBackAsync(payment, cancellationToken);
        var due = Math.Min(refundedMicros, payment.AmountMicros) - taken;
        if (refundedMicros >= payment.AmountMicros)
        {
            payment.Status = PaymentStatus.Refunded;
        }

        if (due > 0)
        {
            await AddOnceAsync(payment, WalletEntryKind.PaymentRefund, -due, $"refunded:{payment.Id:N}:{refundedMicros}", "Payment refunded", cancellationToken);
        }
    }

    /// <summary>Takes a disputed payment's amount (or what is left of it) back out of the wallet, once per dispute.</summary>
    public async Task DisputeAsync(Payment payment, string disputeId, long disputedMicros, string reason, CancellationToken cancellationToken)
    {
        if (payment.Kind == PaymentKind.Plan)
        {
            return;
        }

        payment.Status = PaymentStatus.Disputed;
        var due = Math.Min(disputedMicros, payment.AmountMicros - await TakenBackAsync(payment, cancellationToken));
        if (due > 0)
        {
            await AddOnceAsync(payment, WalletEntryKind.Dispute, -due, $"dispute:{disputeId}", Truncate($"Payment disputed: {reason}"), cancellationToken);
        }
    }

    private async Task<long> TakenBackAsync(Payment payment, CancellationToken cancellationToken)
    {
        var saved = await db.WalletEntries.IgnoreQueryFilters()
            .Where(e => e.PaymentId == payment.Id && (e.Kind == WalletEntryKind.PaymentRefund || e.Kind == WalletEntryKind.Dispute))
            .SumAsync(e => e.AmountMicros, cancellationToken);
        var unsaved = db.WalletEntries.Local
            .Where(e => e.PaymentId == payment.Id && (e.Kind is WalletEntryKind.PaymentRefund or WalletEntryKind.Dispute) && db.Entry(e).State == EntityState.Added)
            .Sum(e => e.AmountMicros);
        return -(saved + unsaved);
    }

    private async Task AddOnceAsync(Payment payment, WalletEntryKind kind, long amountMicros, string key, string note, CancellationToken cancellationToken)
    {
        if (db.WalletEntries.Local.Any(e => e.Key == key) || await db.WalletEntries.IgnoreQueryFilters().AnyAsync(e => e.Key == key, cancellationToken))
        {
            return;
        }

        db.WalletEntries.Add(new WalletEntry
        {
            TenantId = payment.TenantId,
            Kind = kind,
            AmountMicros = amountMicros,
            Key = key,
            PaymentId = payment.Id,
            Note = note,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
