using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Messaging.Telnyx;
using Parley.Work;

namespace Parley.Messaging;

/// <summary>
/// Group commit for carrier webhooks. Requests hand their verified, parsed event to a bounded channel; one
/// reader takes whatever has arrived (up to <see cref="WebhookIngestOptions.BatchSize"/>), stores the events
/// and their work items in one transaction, and answers each request only after that commit: a 200 means the
/// event is on disk. While one batch commits, the next fills, so the batch grows with the load and a lone
/// webhook waits for nobody. SQLite commits the batch with <c>synchronous=FULL</c> (the WAL is synced before
/// the answer); PostgreSQL's commit is durable as it is. A batch that fails is retried one event at a time,
/// so one bad event (or a copy another instance stored first) costs only its own answer.
/// </summary>
public sealed partial class WebhookIngestBatcher : BackgroundService
{
    private readonly Channel<PendingWebhook> channel;
    private readonly IServiceScopeFactory scopes;
    private readonly SqliteWriteGate writeGate;
    private readonly WorkSignal signal;
    private readonly TimeProvider time;
    private readonly WebhookIngestOptions options;
    private readonly ILogger<WebhookIngestBatcher> logger;

    public WebhookIngestBatcher(
        IServiceScopeFactory scopes,
        SqliteWriteGate writeGate,
        WorkSignal signal,
        TimeProvider time,
        IOptions<WebhookIngestOptions> options,
        ILogger<WebhookIngestBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.scopes = scopes;
        this.writeGate = writeGate;
        this.signal = signal;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;
        channel = Channel.CreateBounded<PendingWebhook>(new BoundedChannelOptions(this.options.Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails at once instead of dropping anything
        });
    }

    private int held;

    /// <summary>Events handed over and not answered yet: waiting for a batch, being looked up, or being committed.</summary>
    public int InFlight => channel.Reader.Count + Volatile.Read(ref held);

    /// <summary>Queues <paramref name="evt"/> for the next commit; false when the batcher is full (or stopping).</summary>
    public bool TryEnqueue(TelnyxEvent evt, string body, string? traceParent, [NotNullWhen(true)] out Task<IngestOutcome>? outcome)
    {
        var pending = new PendingWebhook(evt, body, traceParent);
        outcome = channel.Writer.TryWrite(pending) ? pending.Answer.Task : null;
        return outcome is not null;
    }

    /// <summary>Two stages: while one batch commits, the next is taken and looked up (reads, outside the write
    /// gate), so a commit's wait for the disk and a lookup's queries overlap instead of adding up. Commits stay
    /// in order, one at a time.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Committing previous = Committing.None;
        try
        {
            while (await channel.Reader.WaitToReadAsync(stoppingToken))
            {
                previous = await NextAsync(previous);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The server stops taking requests before hosted services stop; what it already handed over is answered.
        channel.Writer.TryComplete();
        while (channel.Reader.TryPeek(out _))
        {
            previous = await NextAsync(previous);
        }

        await previous.Done;
    }

    /// <summary>A batch whose commit has started, and that commit.</summary>
    private sealed record Committing(IReadOnlyList<PendingWebhook> Batch, Task Done)
    {
        public static readonly Committing None = new([], Task.CompletedTask);
    }

    /// <summary>Takes the next batch and looks it up while <paramref name="previous"/> commits, then starts its commit.</summary>
    private async Task<Committing> NextAsync(Committing previous)
    {
        var batch = new List<PendingWebhook>();
        while (batch.Count < options.BatchSize && channel.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        if (batch.Count == 0)
        {
            return previous;
        }

        Interlocked.Add(ref held, batch.Count);

        // A copy of an event in the batch still committing takes that event's outcome once it is known: the
        // lookup cannot see it yet, and storing it again would only fail on the unique key.
        var copies = new List<(PendingWebhook Copy, PendingWebhook Original)>();
        if (previous.Batch.Count > 0)
        {
            var byKey = new Dictionary<string, PendingWebhook>(StringComparer.Ordinal);
            foreach (var original in previous.Batch)
            {
                byKey.TryAdd(original.DedupeKey, original);
                byKey.TryAdd("event:" + original.Event.EventId, original);
            }

            batch.RemoveAll(pending =>
            {
                var original = byKey.GetValueOrDefault(pending.DedupeKey) ?? byKey.GetValueOrDefault("event:" + pending.Event.EventId);
                if (original is not null)
                {
                    copies.Add((pending, original));
                }

                return original is not null;
            });
        }

        Prepared? prepared = null;
        Exception? lookupFailure = null;
        if (batch.Count > 0)
        {
            try
            {
                prepared = await PrepareAsync(batch);
            }
            catch (Exception ex)
            {
                lookupFailure = ex;
            }
        }

        await previous.Done;
        foreach (var (copy, original) in copies)
        {
            Follow(copy, original);
        }

        Interlocked.Add(ref held, -copies.Count);
        if (batch.Count == 0)
        {
            return Committing.None;
        }

        return new Committing(batch, CommitAsync(batch, prepared, lookupFailure));
    }

    private void Follow(PendingWebhook copy, PendingWebhook original)
    {
        var answer = original.Answer.Task;
        if (answer.IsCompletedSuccessfully)
        {
            Answer([copy], [answer.Result == IngestOutcome.NoTenant ? IngestOutcome.NoTenant : IngestOutcome.Duplicate]); // logged as any duplicate is
        }
        else
        {
            copy.Answer.TrySetException(answer.Exception?.InnerException ?? new InvalidOperationException("The original of this event was not stored."));
        }
    }

    private async Task CommitAsync(List<PendingWebhook> batch, Prepared? prepared, Exception? lookupFailure)
    {
        try
        {
            if (prepared is null)
            {
                throw lookupFailure ?? new InvalidOperationException("The batch was not looked up.");
            }

            await using (prepared)
            {
                await prepared.CommitAsync();
            }

            Answer(batch, prepared.Outcomes);
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            LogBatchFailed(logger, batch.Count, ex);
            foreach (var pending in batch)
            {
                await CommitAloneAsync(pending);
            }
        }
        catch (Exception ex)
        {
            Fail(batch[0], ex);
        }
        finally
        {
            Interlocked.Add(ref held, -batch.Count);
        }
    }

    private async Task CommitAloneAsync(PendingWebhook pending)
    {
        try
        {
            await using var prepared = await PrepareAsync([pending]);
            await prepared.CommitAsync();
            Answer([pending], prepared.Outcomes);
        }
        catch (Exception ex)
        {
            Fail(pending, ex);
        }
    }

    /// <summary>A unique violation alone means another instance stored the same event between the lookup and the
    /// commit: a duplicate. Anything else fails the request (a 500, and the carrier sends it again).</summary>
    private void Fail(PendingWebhook pending, Exception exception)
    {
        if (exception is DbUpdateException update && UniqueViolation.Matches(update))
        {
            Answer([pending], [IngestOutcome.Duplicate]);
        }
        else
        {
            pending.Answer.TrySetException(exception);
        }
    }

    /// <summary>Looks the batch up and adds its rows to a context of its own; nothing is written yet.</summary>
    private async Task<Prepared> PrepareAsync(IReadOnlyList<PendingWebhook> batch)
    {
        var scope = scopes.CreateAsyncScope();
        try
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
            var work = scope.ServiceProvider.GetRequiredService<WorkQueue>();
            var outcomes = await WebhookIngestBatch.AddAsync(db, work, batch, time.GetUtcNow().UtcDateTime, CancellationToken.None);
            return new Prepared(this, scope, db, outcomes);
        }
        catch
        {
            await scope.DisposeAsync();
            throw;
        }
    }

    /// <summary>A looked-up batch: its context holds the rows to store, <see cref="Outcomes"/> what each event became.</summary>
    private sealed class Prepared(WebhookIngestBatcher batcher, AsyncServiceScope scope, ParleyDb db, IngestOutcome[] outcomes) : IAsyncDisposable
    {
        public IngestOutcome[] Outcomes { get; } = outcomes;

        /// <summary>Commits the rows in one transaction (nothing to do when no event was new).</summary>
        public async Task CommitAsync()
        {
            if (!Outcomes.Contains(IngestOutcome.Accepted))
            {
                return;
            }

            if (db.Database.IsSqlite())
            {
                await batcher.writeGate.RunAsync(() => CommitFullySyncedAsync(db), ahead: true, CancellationToken.None);
            }
            else
            {
                await db.SaveChangesAsync(CancellationToken.None); // one transaction; PostgreSQL's commit waits for its WAL flush
            }

            batcher.signal.Wake();
        }

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }

    /// <summary>Under WAL, <c>synchronous=NORMAL</c> (every other writer's setting) syncs only at checkpoints, so a
    /// power cut can take the last commits. The batch's commit syncs the WAL before any of its requests is answered.
    /// SQLite refuses to change the level inside a transaction, so it is set around it, on the same connection.</summary>
    private static async Task<bool> CommitFullySyncedAsync(ParleyDb db)
    {
        await db.Database.OpenConnectionAsync(CancellationToken.None);
        try
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL", CancellationToken.None);
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await db.SaveChangesAsync(CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }
        finally
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=NORMAL", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }

        return true;
    }

    private void Answer(List<PendingWebhook> batch, IngestOutcome[] outcomes)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var evt = batch[i].Event;
            switch (outcomes[i])
            {
                case IngestOutcome.Duplicate:
                    LogDuplicate(logger, evt.EventId);
                    break;
                case IngestOutcome.NoTenant:
                    LogUnknownNumber(logger, evt.EventId);
                    break;
                case IngestOutcome.Accepted when evt.ReplacedNulCharacters > 0:
                    LogNulReplaced(logger, evt.EventId, evt.ReplacedNulCharacters);
                    break;
            }

            batch[i].Answer.TrySetResult(outcomes[i]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} webhook events could not be committed; storing them one at a time")]
    private static partial void LogBatchFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Telnyx event {EventId} is a duplicate of one already stored; acknowledged, nothing changed")]
    private static partial void LogDuplicate(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telnyx event {EventId}: the inbound text carried {Count} NUL characters, stored as U+FFFD")]
    private static partial void LogNulReplaced(ILogger logger, string eventId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Telnyx event {EventId} is for a number no tenant owns; acknowledged, nothing stored")]
    private static partial void LogUnknownNumber(ILogger logger, string eventId);
}
