using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Work;

public sealed class WorkQueueApp() : ParleyApp(new Dictionary<string, string?>
{
    ["Parley:Work:Concurrency"] = "4",
    ["Parley:Work:MaxAttempts"] = "2",
})
{
    public ConcurrentDictionary<string, int> Running { get; } = new();

    public ConcurrentBag<(string Key, int Overlap)> Observed { get; } = [];

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(this);
        services.AddWorkHandler<SlowHandler>(Slow);
        services.AddWorkHandler<FailingHandler>(Failing);
        services.AddWorkHandler<OvertakenHandler>(Overtaken);
    }

    public sealed record Job(string Name, string? Key);

    public static readonly WorkKind<Job> Slow = new("test.slow", (j, _) => j.Key);
    public static readonly WorkKind<Job> Failing = new("test.fail", (j, _) => j.Key);
    public static readonly WorkKind<Job> Overtaken = new("test.overtaken", (j, _) => j.Key);

    private sealed class SlowHandler(WorkQueueApp app) : IWorkHandler
    {
        public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            var key = item.SerialKey ?? "none";
            var overlap = app.Running.AddOrUpdate(key, 1, (_, n) => n + 1);
            app.Observed.Add((key, overlap));
            await Task.Delay(60, cancellationToken);
            app.Running.AddOrUpdate(key, 0, (_, n) => n - 1);
            return WorkResult.Done;
        }
    }

    /// <summary>Runs so long that its lease runs out and another instance claims the item (simulated with
    /// the claim's own column change), then saves an effect with its completion as every handler does.</summary>
    private sealed class OvertakenHandler(ParleyDb db) : IWorkHandler
    {
        public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
        {
            await db.WorkItems.Where(w => w.Id == item.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.LeaseOwner, "other-instance").SetProperty(w => w.Attempts, w => w.Attempts + 1), cancellationToken);
            db.Tenants.Add(new Parley.Accounts.Tenant { Id = Guid.CreateVersion7(), Name = $"effect of {item.Id}", TimeZone = "America/Toronto", ApiKeyHash = $"overtaken-{item.Id}" });
            return WorkResult.Done;
        }
    }

    private sealed class FailingHandler : IWorkHandler
    {
        public Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("carrier exploded");
    }
}

public sealed class WorkQueueTests(WorkQueueApp app) : IClassFixture<WorkQueueApp>
{
    private async Task<List<long>> EnqueueAsync(WorkKind<WorkQueueApp.Job> kind, params string?[] serialKeys)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        var queue = scope.ServiceProvider.GetRequiredService<WorkQueue>();
        var items = serialKeys.Select((k, i) => queue.Enqueue(kind, new WorkQueueApp.Job($"job {i}", k), null)).ToList();
        await db.SaveChangesAsync();
        return items.Select(i => i.Id).ToList();
    }

    private Task<List<WorkItem>> ItemsAsync(List<long> ids) =>
        app.QueryAsync(db => db.WorkItems.AsNoTracking().Where(w => ids.Contains(w.Id)).ToListAsync());

    [Fact]
    public async Task Work_for_one_serial_key_never_runs_at_once_but_different_keys_run_side_by_side()
    {
        _ = app.Server; // start the host and its workers
        var keys = Enumerable.Range(0, 24).Select(i => $"conversation:{i % 3}").ToArray();
        var ids = await EnqueueAsync(WorkQueueApp.Slow, keys);

        await Eventually.GetAsync(() => ItemsAsync(ids), items => items.All(i => i.Status == WorkStatus.Done), TimeSpan.FromSeconds(30));
        Assert.All(app.Observed.Where(o => o.Key.StartsWith("conversation:", StringComparison.Ordinal)), o => Assert.Equal(1, o.Overlap));
        Assert.Equal(24, app.Observed.Count(o => o.Key.StartsWith("conversation:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_failing_item_is_retried_with_backoff_then_marked_failed_with_its_error()
    {
        _ = app.Server;
        var ids = await EnqueueAsync(WorkQueueApp.Failing, "failing");

        var retrying = await Eventually.GetAsync(() => ItemsAsync(ids), items => items[0].Attempts == 1 && items[0].Status == WorkStatus.Pending);
        Assert.Contains("carrier exploded", retrying[0].LastError, StringComparison.Ordinal);
        Assert.True(retrying[0].DueAtUtc > DateTime.UtcNow, "the retry waits for its backoff");

        var failed = await Eventually.GetAsync(() => ItemsAsync(ids), items => items[0].Status == WorkStatus.Failed, TimeSpan.FromSeconds(20));
        Assert.Equal(2, failed[0].Attempts);
        Assert.Contains("Gave up after 2 attempts", failed[0].LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_outlived_its_lease_and_lost_the_item_saves_nothing()
    {
        _ = app.Server;
        var ids = await EnqueueAsync(WorkQueueApp.Overtaken, "overtaken");

        var taken = await Eventually.GetAsync(() => ItemsAsync(ids), items => items[0].LeaseOwner == "other-instance");
        await Task.Delay(500); // the first run's completion has long been attempted by now

        var item = (await ItemsAsync(ids))[0];
        Assert.Equal(WorkStatus.Running, item.Status); // still the new owner's, not marked done by the old one
        Assert.Equal("other-instance", item.LeaseOwner);
        Assert.Equal(0, await app.QueryAsync(db => db.Tenants.CountAsync(t => t.Name == $"effect of {ids[0]}")));
        Assert.Equal(WorkStatus.Running, taken[0].Status);
    }
}
