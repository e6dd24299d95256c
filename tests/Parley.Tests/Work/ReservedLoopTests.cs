using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Work;

/// <summary>Two worker loops and bulk work that holds its loop until the test lets it go: a campaign's sends at full
/// speed, each as slow as a carrier can be.</summary>
public sealed class StuckBulkApp() : ParleyApp(new Dictionary<string, string?> { ["Parley:Work:Concurrency"] = "2" })
{
    public static readonly WorkKind<string> Send = new("test.bulk-send", (name, _) => name, WorkPriority.Bulk);

    public static readonly WorkKind<string> Reply = new("test.quick-reply", (name, _) => name);

    private int bulkRunning;

    public TaskCompletionSource CarrierAnswers { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Bulk sends in the carrier's hands right now.</summary>
    public int BulkRunning => Volatile.Read(ref bulkRunning);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddWorkHandler<SendHandler>(Send);
        services.AddWorkHandler<ReplyHandler>(Reply);
    }

    private sealed class SendHandler(StuckBulkApp app) : IWorkHandler
    {
        public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref app.bulkRunning);
            try
            {
                await app.CarrierAnswers.Task.WaitAsync(cancellationToken);
                return WorkResult.Done;
            }
            finally
            {
                Interlocked.Decrement(ref app.bulkRunning);
            }
        }
    }

    private sealed class ReplyHandler : IWorkHandler
    {
        public Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken) => Task.FromResult(WorkResult.Done);
    }
}

public sealed class ReservedLoopTests(StuckBulkApp app) : IClassFixture<StuckBulkApp>
{
    [Fact]
    public async Task A_reply_goes_out_while_bulk_sends_hold_every_other_loop()
    {
        _ = app.Server;
        await EnqueueAsync(Enumerable.Range(0, 6).Select(i => (StuckBulkApp.Send, $"bulk {i}")));
        await Eventually.GetAsync(() => Task.FromResult(app.BulkRunning), n => n >= 1, TimeSpan.FromSeconds(30));

        await EnqueueAsync([(StuckBulkApp.Reply, "reply")]);

        // Every bulk send is still stuck at the carrier, yet the reply runs: one loop never takes bulk work.
        await Eventually.GetAsync(
            () => app.QueryAsync(db => db.WorkItems.AsNoTracking().SingleAsync(w => w.Kind == StuckBulkApp.Reply.Name)),
            w => w.Status == WorkStatus.Done,
            TimeSpan.FromSeconds(30));
        Assert.Equal(1, app.BulkRunning);
        Assert.False(app.CarrierAnswers.Task.IsCompleted);

        // And once the carrier answers, the bulk work all goes out on the loop that takes it.
        app.CarrierAnswers.SetResult();
        await Eventually.GetAsync(
            () => app.QueryAsync(db => db.WorkItems.AsNoTracking().CountAsync(w => w.Kind == StuckBulkApp.Send.Name && w.Status == WorkStatus.Done)),
            done => done == 6,
            TimeSpan.FromSeconds(30));
    }

    private Task EnqueueAsync(IEnumerable<(WorkKind<string> Kind, string Name)> items) => Queued.EnqueueAsync(app, items);
}

/// <summary>Three worker loops; a reply's step and bulk sends that each hold their loop until the test lets them go.</summary>
public sealed class ReplyUnderWayApp() : ParleyApp(new Dictionary<string, string?> { ["Parley:Work:Concurrency"] = "3" })
{
    public static readonly WorkKind<string> Turn = new("test.reply-turn", (name, _) => name, WorkPriority.Reply);

    public static readonly WorkKind<string> Send = new("test.campaign-send", (name, _) => name, WorkPriority.Bulk);

    public static readonly WorkKind<string> Chore = new("test.chore", (name, _) => name);

    private int bulkStarted;

    public TaskCompletionSource TurnMayFinish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource TurnStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int BulkStarted => Volatile.Read(ref bulkStarted);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddWorkHandler<TurnHandler>(Turn);
        services.AddWorkHandler<SendHandler>(Send);
        services.AddWorkHandler<ChoreHandler>(Chore);
    }

    private sealed class TurnHandler(ReplyUnderWayApp app) : IWorkHandler
    {
        public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            app.TurnStarted.TrySetResult();
            await app.TurnMayFinish.Task.WaitAsync(cancellationToken);
            return WorkResult.Done;
        }
    }

    private sealed class SendHandler(ReplyUnderWayApp app) : IWorkHandler
    {
        public Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref app.bulkStarted);
            return Task.FromResult(WorkResult.Done);
        }
    }

    private sealed class ChoreHandler : IWorkHandler
    {
        public Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken) => Task.FromResult(WorkResult.Done);
    }
}

public sealed class ReplyUnderWayTests(ReplyUnderWayApp app) : IClassFixture<ReplyUnderWayApp>
{
    [Fact]
    public async Task No_bulk_send_starts_while_a_reply_is_being_worked_and_all_go_once_it_is_done()
    {
        _ = app.Server;
        await EnqueueAsync([(ReplyUnderWayApp.Turn, "turn")]);
        await app.TurnStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await EnqueueAsync(Enumerable.Range(0, 5).Select(i => (ReplyUnderWayApp.Send, $"send {i}")));
        await EnqueueAsync([(ReplyUnderWayApp.Chore, "chore")]);

        // The two free loops go on taking other interactive work (the chore, queued after the sends) ...
        await Eventually.GetAsync(
            () => app.QueryAsync(db => db.WorkItems.AsNoTracking().SingleAsync(w => w.Kind == ReplyUnderWayApp.Chore.Name)),
            w => w.Status == WorkStatus.Done,
            TimeSpan.FromSeconds(30));
        // ... but none of the sends that were due before it started while the reply was under way.
        Assert.Equal(0, app.BulkStarted);

        app.TurnMayFinish.SetResult();
        await Eventually.GetAsync(() => Task.FromResult(app.BulkStarted), n => n == 5, TimeSpan.FromSeconds(30));
    }

    private Task EnqueueAsync(IEnumerable<(WorkKind<string> Kind, string Name)> items) => Queued.EnqueueAsync(app, items);
}

/// <summary>Work queued straight into the app's queue, as a handler or an API would.</summary>
internal static class Queued
{
    public static async Task EnqueueAsync(ParleyApp app, IEnumerable<(WorkKind<string> Kind, string Name)> items)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        var queue = scope.ServiceProvider.GetRequiredService<WorkQueue>();
        foreach (var (kind, name) in items)
        {
            queue.Enqueue(kind, name, null);
        }

        await db.SaveChangesAsync();
    }
}
