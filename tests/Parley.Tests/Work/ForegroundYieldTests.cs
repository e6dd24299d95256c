using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Work;

/// <summary>A foreground load the test turns on and off (in the product: webhooks waiting for their answer).</summary>
public sealed class SwitchableLoad : IForegroundLoad
{
    private volatile bool on;

    public bool On
    {
        get => on;
        set => on = value;
    }

    public bool Busy => on;
}

public sealed class BusyForegroundApp() : ParleyApp(new Dictionary<string, string?> { ["Parley:Work:Concurrency"] = "4" })
{
    public SwitchableLoad Load { get; } = new() { On = true };

    public ConcurrentBag<string> Ran { get; } = [];

    public static readonly WorkKind<string> Reply = new("test.reply", (name, _) => name);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton<IForegroundLoad>(Load);
        services.AddWorkHandler<ReplyHandler>(Reply);
    }

    private sealed class ReplyHandler(BusyForegroundApp app) : IWorkHandler
    {
        public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            await Task.Delay(20, cancellationToken);
            app.Ran.Add(item.SerialKey ?? "");
            return WorkResult.Done;
        }
    }
}

public sealed class ForegroundYieldTests(BusyForegroundApp app) : IClassFixture<BusyForegroundApp>
{
    [Fact]
    public async Task Queued_replies_still_go_out_while_a_flood_of_webhooks_never_lets_up()
    {
        _ = app.Server;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
            var queue = scope.ServiceProvider.GetRequiredService<WorkQueue>();
            for (var i = 0; i < 12; i++)
            {
                queue.Enqueue(BusyForegroundApp.Reply, $"reply {i}", null);
            }

            await db.SaveChangesAsync();
        }

        // The load stays busy throughout: the loop that never steps aside, and the others after their longest
        // pause, still get every reply out.
        await Eventually.GetAsync(
            () => app.QueryAsync(db => db.WorkItems.AsNoTracking().Where(w => w.Kind == BusyForegroundApp.Reply.Name).ToListAsync()),
            items => items.Count == 12 && items.All(w => w.Status == WorkStatus.Done),
            TimeSpan.FromSeconds(30));
        Assert.True(app.Load.On);
        Assert.Equal(12, app.Ran.Count);
    }

    [Fact]
    public async Task A_paused_worker_goes_on_as_soon_as_the_flood_eases()
    {
        var load = new SwitchableLoad { On = true };
        var yielding = new ForegroundYield([load], TimeSpan.FromHours(1));
        var clock = Stopwatch.StartNew();
        var pause = yielding.MakeRoomAsync(CancellationToken.None);
        await Task.Delay(30);
        Assert.False(pause.IsCompleted); // still making room while the load is busy
        load.On = false;
        await pause;
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(30));
    }

    [Fact]
    public void Webhook_requests_in_hand_past_the_bound_make_the_workers_give_way()
    {
        var batcher = app.Services.GetRequiredService<Parley.Messaging.WebhookIngestBatcher>();
        var workers = app.Services.GetRequiredService<ForegroundYield>();
        app.Load.On = false; // only the webhooks count here
        try
        {
            var receipts = Enumerable.Range(0, Parley.Messaging.WebhookIngestBatcher.BusyAt - 1).Select(_ => batcher.Receive()).ToList();
            Assert.False(workers.Busy);
            receipts.Add(batcher.Receive());
            Assert.True(workers.Busy);
            receipts.ForEach(r => r.Dispose());
            Assert.False(workers.Busy);
        }
        finally
        {
            app.Load.On = true;
        }
    }

    [Fact]
    public async Task Nothing_busy_means_no_pause_at_all()
    {
        var yielding = new ForegroundYield([new SwitchableLoad { On = false }]);
        Assert.True(yielding.MakeRoomAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(new ForegroundYield([]).Busy);
        await Task.CompletedTask;
    }
}
