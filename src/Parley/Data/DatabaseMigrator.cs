using Microsoft.EntityFrameworkCore;

namespace Parley.Data;

/// <summary>
/// Brings the database up to date at start-up with the provider's generated EF Core migrations
/// (<c>Data/Migrations/Sqlite</c> or <c>Data/Migrations/Postgres</c>), after adopting a database made by the
/// earlier SQL scripts (<see cref="LegacySchemaBridge"/>). On PostgreSQL several instances may start together:
/// an advisory lock lets one bridge and migrate while the others wait, then find nothing left to do.
/// </summary>
public sealed partial class DatabaseMigrator(ParleyDb db, ILogger<DatabaseMigrator> logger)
{
    private const long PostgresLockKey = 7306120001;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var postgres = db.Database.IsNpgsql();
        if (!postgres)
        {
            DataFolder.ProtectSqliteFiles(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_lock({PostgresLockKey});", cancellationToken);
            }
            else
            {
                // WAL is a property of the file: set once here, kept by every later connection (SqlitePragmas).
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }

            try
            {
                if (await LegacySchemaBridge.AdoptAsync(db, cancellationToken) is { } adopted)
                {
                    LogAdopted(logger, adopted.Count);
                }

                var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                await db.Database.MigrateAsync(cancellationToken);
                foreach (var migration in pending)
                {
                    LogApplied(logger, migration);
                }
            }
            finally
            {
                if (postgres)
                {
                    await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_unlock({PostgresLockKey});", CancellationToken.None);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration}")]
    private static partial void LogApplied(ILogger logger, string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Adopted a database made by the schema scripts: {Count} baseline migrations recorded as applied, parley_schema dropped")]
    private static partial void LogAdopted(ILogger logger, int count);
}
