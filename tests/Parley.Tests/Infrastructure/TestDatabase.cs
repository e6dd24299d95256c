using Microsoft.EntityFrameworkCore;
using Npgsql;
using Parley.Accounts;
using Parley.Data;
using Parley.Work;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// The database one test app runs on: a SQLite file in the test's folder, or — when
/// <c>PARLEY_TEST_POSTGRES</c> holds a server's connection string (as <c>.ci/run</c> sets it) — a fresh
/// PostgreSQL database made for the test and dropped after it. The same suite runs on both providers.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string? postgresAdmin = Environment.GetEnvironmentVariable("PARLEY_TEST_POSTGRES");
    private readonly string? databaseName;

    public TestDatabase(string folder)
    {
        if (string.IsNullOrWhiteSpace(postgresAdmin))
        {
            Settings = new() { ["ConnectionStrings:Parley"] = $"Data Source={Path.Combine(folder, "parley.db")}" };
            return;
        }

        databaseName = $"parley_test_{Guid.NewGuid():N}";
        using (var admin = new NpgsqlConnection(postgresAdmin))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{databaseName}\"";
            create.ExecuteNonQuery();
        }

        Settings = new()
        {
            ["Parley:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Parley"] = new NpgsqlConnectionStringBuilder(postgresAdmin) { Database = databaseName }.ConnectionString,
        };
    }

    public static bool IsPostgres => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("PARLEY_TEST_POSTGRES"));

    public Dictionary<string, string?> Settings { get; }

    /// <summary>A context on this database outside any app, as a tool or an older version would open it.</summary>
    public ParleyDb OpenContext()
    {
        var connection = Settings["ConnectionStrings:Parley"]!;
        return databaseName is null
            ? new SqliteParleyDb(new DbContextOptionsBuilder<SqliteParleyDb>().UseSqlite(connection + ";Pooling=False").Options, new TenantScope(), new WorkSignal())
            : new PostgresParleyDb(new DbContextOptionsBuilder<PostgresParleyDb>().UseNpgsql(connection).Options, new TenantScope(), new WorkSignal());
    }

    public void Dispose()
    {
        if (databaseName is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(postgresAdmin);
        admin.Open();
        using var drop = admin.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)";
        drop.ExecuteNonQuery();
    }
}
