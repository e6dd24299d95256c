using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Work;

/// <summary>What a handler tells the queue about the item it ran.</summary>
public abstract record WorkResult
{
    public static readonly WorkResult Done = new Completed();

    public static WorkResult RetryAt(DateTime dueAtUtc, string reason) => new Retry(dueAtUtc, reason);

    /// <summary>Not a failure: the service the handler calls asked it to slow down (a rate limit, an outage), so the
    /// item waits until <paramref name="dueAtUtc"/> marked as held back (<see cref="WorkItem.BackPressure"/>).</summary>
    public static WorkResult HoldBackUntil(DateTime dueAtUtc, string reason) => new Retry(dueAtUtc, reason, BackPressure: true);

    public static WorkResult Fail(string reason) => new Failed(reason);

    public sealed record Completed : WorkResult;

    public sealed record Retry(DateTime DueAtUtc, string Reason, bool BackPressure = false) : WorkResult;

    public sealed record Failed(string Reason) : WorkResult;
}

/// <summary>Runs one kind of work item. Changes made on the scope's <see cref="ParleyDb"/> are saved in the
/// same transaction that marks the item done, so an effect and its completion commit together.</summary>
public interface IWorkHandler
{
    Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken);
}

/// <summary>Adds work to the durable queue as part of the caller's unit of work (saved with the caller's changes).</summary>
public sealed class WorkQueue(ParleyDb db, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public WorkItem Enqueue<T>(WorkKind<T> kind, T payload, Guid? tenantId, DateTime? dueAtUtc = null)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var now = time.GetUtcNow().UtcDateTime;
        var item = new WorkItem
        {
            Kind = kind.Name,
            Payload = kind.Serialize(payload),
            TenantId = tenantId,
            SerialKey = kind.SerialKey(payload, tenantId),
            Status = WorkStatus.Pending,
            DueAtUtc = dueAtUtc ?? now,
            CreatedAtUtc = now,
            TraceParent = System.Diagnostics.Activity.Current?.Id,
        };
        db.WorkItems.Add(item);
        return item;
    }

    /// <summary>Enqueues <paramref name="payload"/> at <paramref name="dueAtUtc"/> unless the same kind and serial key
    /// is already pending (saved or in this unit of work). Leaves a pending item untouched, so concurrent callers
    /// never race to update one row: the first one's item serves them all.</summary>
    public async Task EnqueueUnlessPendingAsync<T>(WorkKind<T> kind, T payload, Guid tenantId, DateTime dueAtUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var serialKey = kind.SerialKey(payload, tenantId);
        if (db.WorkItems.Local.Any(w => w.Kind == kind.Name && w.SerialKey == serialKey && w.Status == WorkStatus.Pending)
            || await db.WorkItems.AnyAsync(w => w.Kind == kind.Name && w.SerialKey == serialKey && w.Status == WorkStatus.Pending, cancellationToken))
        {
            return;
        }

        Enqueue(kind, payload, tenantId, dueAtUtc);
    }

    /// <summary>Schedules <paramref name="payload"/> at <paramref name="dueAtUtc"/>, or pushes the same pending
    /// item back to that time: a burst of texts gets one turn after the last of them.</summary>
    public async Task ScheduleOnceAsync<T>(WorkKind<T> kind, T payload, Guid tenantId, DateTime dueAtUtc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var serialKey = kind.SerialKey(payload, tenantId);
        var json = kind.Serialize(payload);
        var pending = await db.WorkItems
            .Where(w => w.Kind == kind.Name && w.SerialKey == serialKey && w.Payload == json && w.Status == WorkStatus.Pending)
            .FirstOrDefaultAsync(cancellationToken);
        if (pending is null)
        {
            Enqueue(kind, payload, tenantId, dueAtUtc);
        }
        else if (pending.DueAtUtc < dueAtUtc)
        {
            pending.DueAtUtc = dueAtUtc;
            pending.TraceParent = System.Diagnostics.Activity.Current?.Id ?? pending.TraceParent; // the turn answers the latest text
        }
    }
}
