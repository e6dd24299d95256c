using Microsoft.Data.Sqlite;
using Npgsql;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>Builds a database the way Parley did before EF Core migrations: the SQL scripts under
/// <c>Data/LegacySchema/{Provider}</c>, each recorded in <c>parley_schema</c>.</summary>
internal static class LegacySchema
{
    public static void Build(TestDatabase database, int upTo)
    {
        var provider = TestDatabase.IsPostgres ? "Postgres" : "Sqlite";
        using System.Data.Common.DbConnection connection = TestDatabase.IsPostgres
            ? new NpgsqlConnection(database.Settings["ConnectionStrings:Parley"])
            : new SqliteConnection(database.Settings["ConnectionStrings:Parley"] + ";Pooling=False");
        connection.Open();
        Execute(connection, "CREATE TABLE parley_schema (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at_utc TEXT NOT NULL);");
        var scripts = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Data", "LegacySchema", provider), "*.sql").Order(StringComparer.Ordinal);
        foreach (var script in scripts)
        {
            var name = Path.GetFileNameWithoutExtension(script);
            var version = int.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture);
            if (version > upTo)
            {
                break;
            }

            Execute(connection, File.ReadAllText(script));
            Execute(connection, $"INSERT INTO parley_schema (version, name, applied_at_utc) VALUES ({version}, '{name}', '2026-11-30T09:00:00Z');");
        }

        SqliteConnection.ClearAllPools();
    }

    private static void Execute(System.Data.Common.DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
