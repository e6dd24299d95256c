using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Data;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>The generated migrations build exactly the schema the EF model describes, on the provider under test.</summary>
public sealed class SchemaTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("parley-schema-").FullName;

    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_model_change_has_a_migration(string provider)
    {
        // What `dotnet ef migrations has-pending-model-changes` checks in CI, from the same design-time factories.
        using ParleyDb db = provider == "Sqlite"
            ? new SqliteParleyDbDesignFactory().CreateDbContext([])
            : new PostgresParleyDbDesignFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Migrations_build_the_same_schema_as_the_model()
    {
        using var migratedDb = new TestDatabase(Directory.CreateDirectory(Path.Combine(folder, "migrated")).FullName);
        using var modelledDb = new TestDatabase(Directory.CreateDirectory(Path.Combine(folder, "modelled")).FullName);
        await using (var migrated = migratedDb.OpenContext())
        {
            await new DatabaseMigrator(migrated, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        await using (var modelled = modelledDb.OpenContext())
        {
            await modelled.Database.EnsureCreatedAsync();
        }

        var migratedSchema = SchemaDescription.Of(migratedDb, withSearch: false);
        Assert.Equal(SchemaDescription.Of(modelledDb, withSearch: false), migratedSchema);
        if (TestDatabase.IsPostgres)
        {
            // Native types: JSON documents as jsonb, times with their zone, money as exact integers.
            Assert.Contains(migratedSchema, r => r.StartsWith("WorkItems.Payload jsonb NO ", StringComparison.Ordinal));
            Assert.Contains(migratedSchema, r => r.StartsWith("TesterSessions.StateJson jsonb NO ", StringComparison.Ordinal));
            Assert.Contains(migratedSchema, r => r.StartsWith("Messages.CreatedAtUtc timestamp with time zone NO ", StringComparison.Ordinal));
            Assert.Contains(migratedSchema, r => r.StartsWith("WalletEntries.AmountMicros bigint NO ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Migrating_twice_applies_each_migration_once_and_keeps_data()
    {
        using var database = new TestDatabase(folder);
        await using var db = database.OpenContext();
        var migrator = new DatabaseMigrator(db, NullLogger<DatabaseMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), Name = "Kept", TimeZone = "America/Toronto", ApiKeyHash = "x" });
        await db.SaveChangesAsync();
        await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(1, await db.Tenants.CountAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
    }

    [Fact]
    public async Task Both_providers_have_the_same_migrations()
    {
        await using var sqlite = new SqliteParleyDbDesignFactory().CreateDbContext([]);
        await using var postgres = new PostgresParleyDbDesignFactory().CreateDbContext([]);

        // Same names in the same order; the timestamps differ by when each was generated.
        Assert.Equal(Names(sqlite), Names(postgres));
        Assert.Equal(LegacySchemaBridge.BaselineMigrations, Names(sqlite).Take(LegacySchemaBridge.BaselineMigrations.Count));

        static IEnumerable<string> Names(ParleyDb db) => db.Database.GetMigrations().Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
