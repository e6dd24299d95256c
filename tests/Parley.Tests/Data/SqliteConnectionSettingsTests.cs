using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>Every SQLite connection Parley hands out waits for the writer lock and syncs as the design says
/// (<c>SqlitePragmas</c>), whether the pool opened it just now or reused it, though the settings are written only
/// when a native connection is new.</summary>
public sealed class SqliteConnectionSettingsTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task New_and_reused_connections_all_wait_for_the_writer_and_sync_at_normal()
    {
        if (TestDatabase.IsPostgres)
        {
            return; // SQLite's own settings: PostgreSQL has none of them
        }

        _ = app.Server;
        for (var round = 0; round < 3; round++)
        {
            // Several at once, so the pool opens new native connections as well as handing back old ones.
            var settings = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SettingsAsync()));
            Assert.All(settings, s => Assert.Equal((30000L, 1L), s));
        }
    }

    private async Task<(long BusyTimeout, long Synchronous)> SettingsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDb>();
        await db.Database.OpenConnectionAsync();
        var busy = await db.Database.SqlQueryRaw<long>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync();
        var synchronous = await db.Database.SqlQueryRaw<long>("SELECT synchronous AS \"Value\" FROM pragma_synchronous").SingleAsync();
        return (busy, synchronous);
    }
}
