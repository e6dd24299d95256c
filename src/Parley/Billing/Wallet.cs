using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Work;

namespace Parley.Billing;

/// <summary>
/// The tenant's prepaid wallet: an append-only ledger whose sum is the balance.
/// <para>The overdraft rule: an AI reply's charge is taken atomically and only while the balance is above
/// zero; AI charges are serialised, so together they never exceed what the wallet held by more than one
/// charge. Segment
/// charges follow when the carrier accepts each text, in the transaction that records the acceptance, so a
/// text is charged exactly once and never when it was not sent; a refused or abandoned AI reply is refunded.</para>
/// </summary>
public sealed class Wallet(ParleyDb db, SqliteWriteGate writeGate, IOptions<BillingOptions> options, TimeProvider time, WorkQueue work)
{
    public BillingOptions Rates => options.Value;

    public Task<long> BalanceMicrosAsync(Guid tenantId, CancellationToken cancellationToken) =>
        db.WalletEntries.IgnoreQueryFilters().Where(e => e.TenantId == tenantId).SumAsync(e => e.AmountMicros, cancellationToken);

    /// <summary>Takes the AI reply charge under <paramref name="key"/> if the balance is above zero (or finds it
    /// already taken by an earlier attempt of the same turn). Returns whether the reply is paid for.</summary>
    public async Task<bool> TryChargeAiReplyAsync(Guid tenantId, string key, CancellationToken cancellationToken)
    {
        var amount = -Rates.AiReplyMicros;
        var now = time.GetUtcNow().UtcDateTime;
        if (db.Database.CurrentTransaction is not null)
        {
            // Inside the caller's transaction, which commits the charge with what it pays for. On SQLite the caller
            // holds the write gate; on PostgreSQL the lock below is held until that transaction ends.
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({tenantId.ToString()}))", cancellationToken);
            }

            await InsertIfFundedAsync(tenantId, key, amount, now, cancellationToken);
        }
        else if (db.Database.IsNpgsql())
        {
            // Serialise the check-and-insert per tenant: READ COMMITTED alone would let two inserts both see a positive sum.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtext({tenantId.ToString()}))", cancellationToken);
            await InsertIfFundedAsync(tenantId, key, amount, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        else
        {
            // One statement under the process-wide SQLite write gate: the sum it checks includes every earlier charge.
            await writeGate.RunAsync(() => InsertIfFundedAsync(tenantId, key, amount, now, cancellationToken), cancellationToken);
        }

        var paid = await db.WalletEntries.IgnoreQueryFilters().AnyAsync(e => e.Key == key, cancellationToken);
        if (paid)
        {
            await QueueRechargeIfLowAsync(tenantId, cancellationToken);
        }

        return paid;
    }

    private Task<int> InsertIfFundedAsync(Guid tenantId, string key, long amount, DateTime now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO "WalletEntries" ("TenantId", "Kind", "AmountMicros", "Quantity", "Note", "Key", "CreatedAtUtc")
            SELECT {tenantId}, {nameof(WalletEntryKind.AiReplyCharge)}, {amount}, 1, {"AI SMS reply"}, {key}, {now}
            WHERE (SELECT COALESCE(SUM(w."AmountMicros"), 0) FROM "WalletEntries" AS w WHERE w."TenantId" = {tenantId}) > 0
              AND NOT EXISTS (SELECT 1 FROM "WalletEntries" AS k WHERE k."Key" = {key})
            """,
            cancellationToken);

    /// <summary>Adds a charge to the caller's unit of work (saved with the change it pays for), and the auto-recharge
    /// it calls for, if any.</summary>
    public async Task ChargeAsync(Guid tenantId, WalletEntryKind kind, long amountMicros, int quantity, string key, long? messageId, string note, CancellationToken cancellationToken)
    {
        db.WalletEntries.Add(new WalletEntry
        {
            TenantId = tenantId,
            Kind = kind,
            AmountMicros = -amountMicros,
            Quantity = quantity,
            Key = key,
            MessageId = messageId,
            Note = note,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
        await QueueRechargeIfLowAsync(tenantId, cancellationToken);
    }

    /// <summary>Queues an auto-recharge (in the caller's unit of work; once while one is pending) when the tenant
    /// has one set up and the balance, with this unit's unsaved charges, is below its threshold.</summary>
    private async Task QueueRechargeIfLowAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        await LowBalanceNotice.QueueAsync(work, time, Rates.LowBalanceCheckDelay, tenantId, cancellationToken);
        var threshold = await db.BillingAccounts.IgnoreQueryFilters().AsNoTracking().Where(a => a.TenantId == tenantId && a.AutoRechargeEnabled)
            .Select(a => (long?)a.AutoRechargeThresholdMicros).FirstOrDefaultAsync(cancellationToken);
        if (threshold is null)
        {
            return;
        }

        var unsaved = db.WalletEntries.Local.Where(e => e.TenantId == tenantId && db.Entry(e).State == EntityState.Added).Sum(e => e.AmountMicros);
        if (await BalanceMicrosAsync(tenantId, cancellationToken) + unsaved < threshold)
        {
            await work.EnqueueUnlessPendingAsync(AutoRecharger.Work, new AutoRecharger.Payload(tenantId), tenantId, time.GetUtcNow().UtcDateTime, cancellationToken);
        }
    }

    /// <summary>Gives back a charge taken under <paramref name="key"/>, once.</summary>
    public async Task RefundAsync(Guid tenantId, string key, string note, CancellationToken cancellationToken)
    {
        var refundKey = $"refund:{key}";
        var charge = await db.WalletEntries.IgnoreQueryFilters().FirstOrDefaultAsync(e => e.Key == key, cancellationToken);
        if (charge is null || await db.WalletEntries.IgnoreQueryFilters().AnyAsync(e => e.Key == refundKey, cancellationToken)
            || db.WalletEntries.Local.Any(e => e.Key == refundKey))
        {
            return;
        }

        db.WalletEntries.Add(new WalletEntry
        {
            TenantId = tenantId,
            Kind = WalletEntryKind.Refund,
            AmountMicros = -charge.AmountMicros,
            Quantity = charge.Quantity,
            Key = refundKey,
            MessageId = charge.MessageId,
            Note = note,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
    }
}
