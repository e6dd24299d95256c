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

    private async Task EnqueueAsync(IEnumerable<(WorkKind<string> Kind, string Name)> items)
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
