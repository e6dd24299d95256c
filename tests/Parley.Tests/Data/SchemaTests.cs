using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Accounts;
using Parley.Data;
using Parley.Tests.Infrastructure;
using Parley.Work;

namespace Parley.Tests.Data;

/// <summary>The hand-written migration scripts must build exactly the schema the EF model expects.</summary>
public sealed class SchemaTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("parley-schema-").FullName;

    private ParleyDb Open(string file) => new(
        new DbContextOptionsBuilder<ParleyDb>().UseSqlite($"Data Source={Path.Combine(folder, file)};Pooling=False").Options,
        new TenantScope(),
        new WorkSignal());

    [Fact]
    public async Task Migrations_build_the_same_schema_as_the_model()
    {
        await using (var migrated = Open("migrated.db"))
        {
            await new SchemaMigrator(migrated, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        await using (var modelled = Open("modelled.db"))
        {
            await modelled.Database.EnsureCreatedAsync();
        }

        var expected = Describe(Path.Combine(folder, "modelled.db"));
        var actual = Describe(Path.Combine(folder, "migrated.db"));
        actual.Remove("parley_schema");
        // The full-text indexes live beside the model, maintained by triggers; SearchTests cover them.
        foreach (var search in actual.Keys.Where(t => t.StartsWith("message_search", StringComparison.Ordinal) || t.StartsWith("contact_search", StringComparison.Ordinal)).ToList())
        {
            actual.Remove(search);
        }

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var table in expected.Keys)
        {
            Assert.Equal(expected[table], actual[table]);
        }
    }

    [Fact]
    public async Task Migrating_twice_applies_each_script_once_and_keeps_data()
    {
        await using var db = Open("twice.db");
        var migrator = new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
        db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), Name = "Kept", TimeZone = "America/Toronto", ApiKeyHash = "x" });
        await db.SaveChangesAsync();
        await migrator.MigrateAsync(CancellationToken.None);

        Assert.Equal(1, await db.Tenants.CountAsync());
        var versions = await db.Database.SqlQueryRaw<int>("SELECT version AS \"Value\" FROM parley_schema").ToListAsync();
        Assert.Equal(SchemaMigrator.Scripts(DatabaseProvider.Sqlite).Select(s => s.Version), versions);
    }

    [Fact]
    public async Task On_postgres_the_migrations_build_the_same_schema_as_the_model()
    {
        if (!TestDatabase.IsPostgres)
        {
            return; // runs in the PostgreSQL pass of .ci/run
        }

        using var migratedDb = new TestDatabase(folder);
        using var modelledDb = new TestDatabase(folder);
        await using (var migrated = migratedDb.OpenContext())
        {
            await new SchemaMigrator(migrated, NullLogger<SchemaMigrator>.Instance).MigrateAsync(CancellationToken.None);
        }

        await using (var modelled = modelledDb.OpenContext())
        {
            await modelled.Database.EnsureCreatedAsync();
        }

        var migratedSchema = await DescribePostgresAsync(migratedDb);
        Assert.Equal(await DescribePostgresAsync(modelledDb), migratedSchema);
        // Native types: JSON documents as jsonb, times with their zone, money as exact integers.
        Assert.Contains("WorkItems.Payload jsonb NO ", migratedSchema);
        Assert.Contains("TesterSessions.StateJson jsonb NO ", migratedSchema);
        Assert.Contains("Messages.CreatedAtUtc timestamp with time zone NO ", migratedSchema);
        Assert.Contains("WalletEntries.AmountMicros bigint NO ", migratedSchema);
    }

    private static async Task<List<string>> DescribePostgresAsync(TestDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.Settings["ConnectionStrings:Parley"]);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(character_maximum_length::text, '')
            FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'parley_schema'
            UNION ALL
            SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'parley_schema' AND indexname NOT LIKE 'search\_%'
            ORDER BY 1
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    [Fact]
    public void Both_providers_have_the_same_migration_versions()
    {
        Assert.Equal(
            SchemaMigrator.Scripts(DatabaseProvider.Sqlite).Select(s => s.Name),
            SchemaMigrator.Scripts(DatabaseProvider.Postgres).Select(s => s.Name));
    }

    private static Dictionary<string, string> Describe(string file)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        return tables.ToDictionary(t => t, t =>
        {
            var columns = Query(connection, $"SELECT name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{t}')");
            var indexes = Query(connection, $"SELECT il.name || ' unique=' || il.\"unique\" || ' (' || (SELECT group_concat(name, ',') FROM pragma_index_info(il.name)) || ')' FROM pragma_index_list('{t}') AS il");
            var keys = Query(connection, $"SELECT \"table\" || '.' || \"to\" || ' <- ' || \"from\" FROM pragma_foreign_key_list('{t}')");
            return string.Join('\n', columns.Order().Concat(indexes.Order()).Concat(keys.Order()));
        });
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
