using System.Collections.Concurrent;
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

    private int running;
    private int mostAtOnce;

    /// <summary>The most replies that ran at once.</summary>
    public int MostAtOnce => Volatile.Read(ref mostAtOnce);

    public static readonly WorkKind<string> Reply = new("test.reply", (name, _) => name);

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddSingleton<IForegroundLoad>(Load);
        // Pauses with no end in sight: while the load is busy only the loop that never pauses can run anything.
        services.AddSingleton(sp => new ForegroundYield(sp.GetServices<IForegroundLoad>(), TimeSpan.FromHours(1)));
        services.AddWorkHandler<ReplyHandler>(Reply);
    }

    private sealed class ReplyHandler(BusyForegroundApp app) : IWorkHandler
    {
        public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref app.running);
            InterlockedMax(ref app.mostAtOnce, now);
            await Task.Delay(20, cancellationToken); // a reply's work, long enough for another loop to overlap it
            Interlocked.Decrement(ref app.running);
            app.Ran.Add(item.SerialKey ?? "");
            return WorkResult.Done;
        }

        private static void InterlockedMax(ref int target, int value)
        {
            for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, seen) == seen)
                {
                    return;
                }
            }
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

        // The load stays busy throughout and the other loops' pause never ends here: the one loop that never
        // steps aside gets every reply out, one at a time.
        await Eventually.GetAsync(
            () => app.QueryAsync(db => db.WorkItems.AsNoTracking().Where(w => w.Kind == BusyForegroundApp.Reply.Name).ToListAsync()),
            items => items.Count == 12 && items.All(w => w.Status == WorkStatus.Done),
            TimeSpan.FromSeconds(30));
        Assert.True(app.Load.On);
        Assert.Equal(12, app.Ran.Count);
        Assert.Equal(1, app.MostAtOnce);
    }

    [Fact]
    public async Task A_paused_worker_goes_on_as_soon_as_the_flood_eases()
    {
        var load = new SwitchableLoad { On = true };
        var yielding = new ForegroundYield([load], TimeSpan.FromHours(1));
        var pause = yielding.MakeRoomAsync(CancellationToken.None);
        Assert.False(pause.IsCompleted); // making room while the load is busy
        load.On = false;
        await pause.WaitAsync(TimeSpan.FromSeconds(30)); // and not an hour: it looks again every few milliseconds
    }

    [Fact]
    public void Webhook_requests_in_hand_past_the_bound_make_the_workers_give_way()
    {
        var webhooks = app.Services.GetRequiredService<Parley.Messaging.WebhookRequestLoad>();
        var workers = app.Services.GetRequiredService<ForegroundYield>();
        app.Load.On = false; // only the webhooks count here
        try
        {
            var receipts = Enumerable.Range(0, Parley.Messaging.WebhookRequestLoad.BusyAt - 1).Select(_ => webhooks.Receive()).ToList();
            Assert.False(workers.Busy);
            receipts.Add(webhooks.Receive());
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
    public void Nothing_busy_means_no_pause_at_all()
    {
        var yielding = new ForegroundYield([new SwitchableLoad { On = false }]);
        Assert.True(yielding.MakeRoomAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(new ForegroundYield([]).Busy);
    }
}
