using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Telemetry;

namespace Parley.Work;

/// <summary>
/// Runs the durable queue: claims due items (never two of one serial key at once; interactive work before bulk,
/// the least busy tenant first: <see cref="WorkClaims"/>), runs each in a fresh DI
/// scope, and records success, retry with backoff, or failure on the row. A crashed process's claims are
/// released at start-up (SQLite: one instance) or when their lease runs out.
/// </summary>
public sealed partial class WorkQueueWorker(
    IServiceScopeFactory scopes,
    SqliteWriteGate writeGate,
    WorkSignal signal,
    TimeProvider time,
    IOptions<WorkOptions> options,
    IEnumerable<WorkKind> kinds,
    ForegroundYield foreground,
    ILogger<WorkQueueWorker> logger) : BackgroundService
{
    private readonly string owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    private readonly WorkClaims claims = new(kinds, writeGate);
    private readonly HashSet<string> replyKinds = kinds.Where(k => k.Priority == WorkPriority.Reply).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
    private int repliesRunning;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ReleaseOrphansAsync(stoppingToken);
        // With more than one loop, the first is kept for interactive work: a reply never waits for a bulk send to
        // finish on every loop first (a campaign at full speed keeps every loop that takes bulk work busy).
        var concurrency = Math.Max(1, options.Value.Concurrency);
        var loops = Enumerable.Range(0, concurrency).Select(loop => RunLoopAsync(yields: loop > 0, interactiveOnly: loop == 0 && concurrency > 1, stoppingToken));
        await Task.WhenAll(loops.Append(PruneLoopAsync(stoppingToken)));
    }

    /// <param name="yields">whether this loop makes room for foreground work before each claim (<see cref="ForegroundYield"/>)</param>
    /// <param name="interactiveOnly">whether this loop leaves bulk work to the others</param>
    private async Task RunLoopAsync(bool yields, bool interactiveOnly, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (yields)
                {
                    await foreground.MakeRoomAsync(stoppingToken);
                }

                if (await RunOneAsync(interactiveOnly, stoppingToken))
                {
                    continue;
                }

                await signal.WaitAsync(await IdleWaitAsync(stoppingToken), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopError(logger, ex);
                await signal.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task<bool> RunOneAsync(bool interactiveOnly, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await claims.ClaimAsync(db, owner, now, now + options.Value.Lease, interactiveOnly || Volatile.Read(ref repliesRunning) > 0, stoppingToken);
        if (claimed is null)
        {
            return false;
        }

        var item = await db.WorkItems.SingleAsync(w => w.Id == claimed.Value, stoppingToken);
        if (item.TenantId is { } tenantId)
        {
            db.UseTenant(tenantId);
        }

        // While a reply's work runs, no loop starts bulk work (see the claim above): the reply shares the
        // database's writer and the CPU only with the sends already under way.
        var reply = replyKinds.Contains(item.Kind);
        if (reply)
        {
            Interlocked.Increment(ref repliesRunning);
        }

        try
        {
            return await RunClaimedAsync(scope, db, item, stoppingToken);
        }
        finally
        {
            if (reply)
            {
                Interlocked.Decrement(ref repliesRunning);
            }
        }
    }

    private async Task<bool> RunClaimedAsync(AsyncServiceScope scope, ParleyDb db, WorkItem item, CancellationToken stoppingToken)
    {
        var claimedId = item.Id;
        using var activity = ParleyTelemetry.StartWork(item);
        using var logScope = logger.BeginScope(new Dictionary<string, object?> { ["WorkItemId"] = item.Id, ["WorkKind"] = item.Kind, ["TenantId"] = item.TenantId });
        try
        {
            var handler = scope.ServiceProvider.GetRequiredKeyedService<IWorkHandler>(item.Kind);
            var result = await handler.HandleAsync(item, stoppingToken);
            Record(item, result);
            activity?.SetTag("parley.work.result", result.GetType().Name);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await ReleaseAsync(item.Id);
            throw;
        }
        catch (DbUpdateConcurrencyException ex) when (ex.Entries.Any(e => e.Entity is WorkItem))
        {
            LogLostLease(logger, item.Id, item.Kind); // nothing of this run was saved
        }
        catch (Exception ex)
        {
            // The handler threw, or its changes could not be saved with the completion (a row another worker
            // saved first, say): none of them were. The item is retried after its backoff.
            LogItemError(logger, item.Id, item.Kind, item.Attempts, ex);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
            db.ChangeTracker.Clear();
            item = await db.WorkItems.SingleAsync(w => w.Id == claimedId, CancellationToken.None);
            if (item.LeaseOwner != owner)
            {
                LogLostLease(logger, item.Id, item.Kind);
                return true;
            }

            var error = ex is DbUpdateException { InnerException: { } inner } ? inner : ex;
            Record(item, WorkResult.RetryAt(time.GetUtcNow().UtcDateTime + Backoff(item.Attempts), $"{error.GetType().Name}: {error.Message}"));
            await db.SaveChangesAsync(CancellationToken.None);
        }

        return true;
    }

    private void Record(WorkItem item, WorkResult result)
    {
        var now = time.GetUtcNow().UtcDateTime;
        item.LeaseOwner = null;
        item.LeaseUntilUtc = null;
        item.BackPressure = result is WorkResult.Retry { BackPressure: true } && item.Attempts < options.Value.MaxAttempts;
        switch (result)
        {
            case WorkResult.Retry retry when item.Attempts < options.Value.MaxAttempts:
                item.Status = WorkStatus.Pending;
                item.DueAtUtc = retry.DueAtUtc;
                item.LastError = Truncate(retry.Reason);
                break;
            case WorkResult.Retry retry:
                item.Status = WorkStatus.Failed;
                item.CompletedAtUtc = now;
                item.LastError = Truncate($"Gave up after {item.Attempts} attempts: {retry.Reason}");
                LogGaveUp(logger, item.Id, item.Kind, item.Attempts);
                break;
            case WorkResult.Failed failed:
                item.Status = WorkStatus.Failed;
                item.CompletedAtUtc = now;
                item.LastError = Truncate(failed.Reason);
                break;
            default:
                item.Status = WorkStatus.Done;
                item.CompletedAtUtc = now;
                break;
        }
    }

    /// <summary>Exponential backoff: 2 s, 4 s, 8 s … capped at 5 minutes.</summary>
    public static TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(300, Math.Pow(2, Math.Clamp(attempts, 1, 9))));

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    private async Task<TimeSpan> IdleWaitAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        var next = await db.WorkItems.Where(w => w.Status == WorkStatus.Pending)
            .OrderBy(w => w.DueAtUtc).Select(w => (DateTime?)w.DueAtUtc).FirstOrDefaultAsync(cancellationToken);
        var idle = options.Value.IdlePoll;
        if (next is null)
        {
            return idle;
        }

        var wait = next.Value - time.GetUtcNow().UtcDateTime;
        return wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait > idle ? idle : wait;
    }

    /// <summary>Finished work is kept a while for inspection (failures longer), then deleted so the queue
    /// table stays small.</summary>
    private async Task PruneLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
                var now = time.GetUtcNow().UtcDateTime;
                var doneBefore = now - options.Value.KeepDone;
                var failedBefore = now - options.Value.KeepFailed;
                await db.WorkItems
                    .Where(w => (w.Status == WorkStatus.Done && w.CompletedAtUtc < doneBefore) || (w.Status == WorkStatus.Failed && w.CompletedAtUtc < failedBefore))
                    .ExecuteDeleteAsync(stoppingToken);
                await Task.Delay(TimeSpan.FromHours(1), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopError(logger, ex);
                await signal.WaitAsync(TimeSpan.FromMinutes(5), stoppingToken);
            }
        }
    }

    private async Task ReleaseOrphansAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        if (db.Database.IsNpgsql())
        {
            return; // Other live instances hold claims there; their leases expire on their own.
        }

        // A SQLite database has one app instance: whatever was running belonged to a process that died.
        var released = await db.WorkItems.Where(w => w.Status == WorkStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WorkStatus.Pending).SetProperty(w => w.LeaseOwner, (string?)null), cancellationToken);
        if (released > 0)
        {
            LogReleased(logger, released);
        }
    }

    /// <summary>Shutdown interrupted the item: hand it back at once for any instance to run, without waiting
    /// for its lease, and give back the attempt its claim counted (it did not fail).</summary>
    private async Task ReleaseAsync(long id)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        await db.WorkItems.Where(w => w.Id == id && w.Status == WorkStatus.Running && w.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s
                .SetProperty(w => w.Status, WorkStatus.Pending)
                .SetProperty(w => w.LeaseOwner, (string?)null)
                .SetProperty(w => w.LeaseUntilUtc, (DateTime?)null)
                .SetProperty(w => w.Attempts, w => w.Attempts - 1), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work item {WorkItemId} ({Kind}) outlived its lease and another instance took it over; this run's changes were discarded")]
    private static partial void LogLostLease(ILogger logger, long workItemId, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work loop failed; continuing")]
    private static partial void LogLoopError(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work item {WorkItemId} ({Kind}) failed on attempt {Attempt}")]
    private static partial void LogItemError(ILogger logger, long workItemId, string kind, int attempt, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {WorkItemId} ({Kind}) gave up after {Attempts} attempts")]
    private static partial void LogGaveUp(ILogger logger, long workItemId, string kind, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} work items left running by a stopped process")]
    private static partial void LogReleased(ILogger logger, int count);
}
