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

    private int committing;

    /// <summary>Events handed over and not answered yet: waiting for a batch, or in the one being committed.</summary>
    public int InFlight => channel.Reader.Count + Volatile.Read(ref committing);

    /// <summary>Queues <paramref name="evt"/> for the next commit; false when the batcher is full (or stopping).</summary>
    public bool TryEnqueue(TelnyxEvent evt, string body, string? traceParent, [NotNullWhen(true)] out Task<IngestOutcome>? outcome)
    {
        var pending = new PendingWebhook(evt, body, traceParent);
        outcome = channel.Writer.TryWrite(pending) ? pending.Answer.Task : null;
        return outcome is not null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWebhook>(options.BatchSize);
        try
        {
            while (await channel.Reader.WaitToReadAsync(stoppingToken))
            {
                await CommitNextAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The server stops taking requests before hosted services stop; what it already handed over is answered.
        channel.Writer.TryComplete();
        while (channel.Reader.TryPeek(out _))
        {
            await CommitNextAsync(batch);
        }
    }

    private async Task CommitNextAsync(List<PendingWebhook> batch)
    {
        batch.Clear();
        while (batch.Count < options.BatchSize && channel.Reader.TryRead(out var pending))
        {
            batch.Add(pending);
        }

        if (batch.Count == 0)
        {
            return;
        }

        Volatile.Write(ref committing, batch.Count);
        try
        {
            Answer(batch, await StoreAsync(batch));
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
            Volatile.Write(ref committing, 0);
        }
    }

    private async Task CommitAloneAsync(PendingWebhook pending)
    {
        try
        {
            Answer([pending], await StoreAsync([pending]));
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

    /// <summary>Looks up, adds and commits the batch's rows in one transaction; returns each event's outcome.</summary>
    private async Task<IngestOutcome[]> StoreAsync(IReadOnlyList<PendingWebhook> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        var work = scope.ServiceProvider.GetRequiredService<WorkQueue>();
        var outcomes = await WebhookIngestBatch.AddAsync(db, work, batch, time.GetUtcNow().UtcDateTime, CancellationToken.None);
        if (!outcomes.Contains(IngestOutcome.Accepted))
        {
            return outcomes;
        }

        if (db.Database.IsSqlite())
        {
            await writeGate.RunAsync(() => CommitFullySyncedAsync(db), ahead: true, CancellationToken.None);
        }
        else
        {
            await db.SaveChangesAsync(CancellationToken.None); // one transaction; PostgreSQL's commit waits for its WAL flush
        }

        signal.Wake();
        return outcomes;
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
