using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Data;

/// <summary>
/// One-time bridge from the SQL scripts that built the schema before EF Core migrations. Their table
/// <c>parley_schema</c> at version 7 (the last script) describes exactly the schema the baseline migrations
/// build, so those are recorded as applied without running them and <c>parley_schema</c> is dropped, in one
/// transaction. An older version is refused: its remaining scripts no longer ship.
/// </summary>
public static class LegacySchemaBridge
{
    public const int LatestLegacyVersion = 7;

    /// <summary>The migrations that together build what the scripts 0001–0007 built, in order.</summary>
    public static readonly IReadOnlyList<string> BaselineMigrations = ["InitialSchema", "Search"];

    /// <summary>Adopts a legacy database; returns the migrations recorded, or null when there was nothing to adopt.</summary>
    public static async Task<IReadOnlyList<string>?> AdoptAsync(ParleyDb db, CancellationToken cancellationToken)
    {
        var exists = db.Database.IsNpgsql()
            ? "SELECT count(*) AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'parley_schema'"
            : "SELECT count(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = 'parley_schema'";
        if (await db.Database.SqlQueryRaw<int>(exists).SingleAsync(cancellationToken) == 0)
        {
            return null;
        }

        var versions = await db.Database.SqlQueryRaw<int>("SELECT version AS \"Value\" FROM parley_schema").ToListAsync(cancellationToken);
        if (!Enumerable.Range(1, LatestLegacyVersion).All(versions.Contains))
        {
            var at = versions.Count == 0 ? 0 : versions.Max();
            throw new InvalidOperationException(
                $"This database was built by Parley's schema scripts and is at schema version {at}; this release can only adopt one at version {LatestLegacyVersion}. " +
                "Start the last Parley release that ships the schema scripts (Data/Migrations/*/0007_search.sql) against it once to bring it to version 7, then start this release.");
        }

        var ids = db.Database.GetMigrations().ToList();
        var baseline = BaselineMigrations
            .Select(name => ids.Single(id => id.EndsWith("_" + name, StringComparison.Ordinal)))
            .ToList();
        var history = db.GetService<IHistoryRepository>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), cancellationToken);
        foreach (var id in baseline)
        {
            await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion())), cancellationToken);
        }

        await db.Database.ExecuteSqlRawAsync("DROP TABLE parley_schema;", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return baseline;
    }
}
