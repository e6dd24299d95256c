using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Billing.Payments;
using Parley.Data;
using Parley.Work;

namespace Parley.Billing;

/// <summary>
/// Recharges a wallet a charge took below its tenant's threshold. Queued (once while one is pending) by
/// <see cref="Wallet"/> after a charge; items of one tenant run one at a time, and each looks again before it
/// charges: a balance back above the threshold, a recharge still under way, or the day's limit reached means
/// there is nothing to do, so one dip is never charged twice.
/// </summary>
public sealed partial class AutoRecharger(
    ParleyDb db, IPaymentProvider provider, SelfServeBilling billing, Wallet wallet, ActivityLog activity, TimeProvider time,
    ILogger<AutoRecharger> logger) : IWorkHandler
{
    public sealed record Payload(Guid TenantId);

    public static readonly WorkKind<Payload> Work = new("billing.auto-recharge", (p, _) => $"auto-recharge:{p.TenantId:N}");

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var tenantId = Work.Read(item).TenantId;
        var account = await db.BillingAccounts.FirstOrDefaultAsync(a => a.TenantId == tenantId, cancellationToken);
        if (account is not { AutoRechargeEnabled: true }
            || await wallet.BalanceMicrosAsync(tenantId, cancellationToken) >= account.AutoRechargeThresholdMicros
            || await db.Payments.AnyAsync(p => p.Kind == PaymentKind.AutoRecharge && p.Status == PaymentStatus.Pending, cancellationToken))
        {
            return WorkResult.Done;
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == tenantId, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZone);
        var now = time.GetUtcNow();
        var localMidnight = TimeZoneInfo.ConvertTime(now, zone).Date;
        var dayStartUtc = TimeZoneInfo.ConvertTimeToUtc(localMidnight, zone);
        var today = await db.Payments.CountAsync(p => p.Kind == PaymentKind.AutoRecharge && p.CreatedAtUtc >= dayStartUtc, cancellationToken);
        if (today >= account.AutoRechargeMaxPerDay)
        {
            LogDailyLimit(logger, tenantId, today);
            activity.Record(tenantId, null, ActivityKind.Billing,
                $"Auto-recharge skipped: already {today} today, the most allowed. The balance stays below {new Money(account.AutoRechargeThresholdMicros).Dollars:0.00} USD.");
            return WorkResult.Done;
        }

        var payment = billing.NewPayment(tenantId, PaymentKind.AutoRecharge, account.AutoRechargeAmountMicros);
        PaymentStart start;
        try
        {
            start = await provider.ChargeSavedCardAsync(payment, account, $"auto-recharge-{item.Id}", cancellationToken);
        }
        catch (PaymentProviderException ex)
        {
            db.Payments.Remove(payment);
            return WorkResult.RetryAt(now.UtcDateTime + WorkQueueWorker.Backoff(item.Attempts), ex.Message);
        }

        await billing.ApplyAsync(payment, start, cancellationToken);
        activity.Record(tenantId, null, ActivityKind.Billing, $"Auto-recharge of {new Money(payment.AmountMicros).Dollars:0.00} USD: {payment.Status}.");
        return WorkResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Auto-recharge for tenant {TenantId} skipped: {Count} already today")]
    private static partial void LogDailyLimit(ILogger logger, Guid tenantId, int count);
}
