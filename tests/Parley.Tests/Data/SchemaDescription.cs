using Microsoft.Data.Sqlite;
using Npgsql;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Data;

/// <summary>A database's schema as sorted text lines (tables, columns, indexes, keys, triggers), to compare two.
/// Column defaults are left out: the scripts gave two columns added later one (WalletEntries.Quantity,
/// Assistants.DeliveryFailureScore), which the model does not have and never relies on (EF writes every column).</summary>
internal static class SchemaDescription
{
    private static readonly string[] Bookkeeping = ["__EFMigrationsHistory", "__EFMigrationsLock", "parley_schema"];

    /// <summary>The schema of <paramref name="database"/>; <paramref name="withSearch"/> false leaves out the
    /// full-text pieces the model does not describe (they live in the Search migration).</summary>
    public static List<string> Of(TestDatabase database, bool withSearch = true) =>
        TestDatabase.IsPostgres ? Postgres(database, withSearch) : Sqlite(database, withSearch);

    private static List<string> Sqlite(TestDatabase database, bool withSearch)
    {
        using var connection = new SqliteConnection(database.Settings["ConnectionStrings:Parley"] + ";Pooling=False");
        connection.Open();
        var rows = new List<string>();
        foreach (var t in Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Where(t => Keep(t, withSearch)))
        {
            rows.AddRange(Query(connection, $"SELECT '{t}.' || name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{t}')"));
            rows.AddRange(Query(connection, $"SELECT '{t} index ' || il.name || ' unique=' || il.\"unique\" || ' (' || (SELECT group_concat(name, ',') FROM pragma_index_info(il.name)) || ')' FROM pragma_index_list('{t}') AS il"));
            rows.AddRange(Query(connection, $"SELECT '{t} key ' || \"table\" || '.' || \"to\" || ' <- ' || \"from\" || ' ' || on_delete FROM pragma_foreign_key_list('{t}')"));
        }

        rows.AddRange(Query(connection, "SELECT 'trigger ' || name || ' ' || sql FROM sqlite_master WHERE type = 'trigger'").Where(t => withSearch));
        SqliteConnection.ClearAllPools();
        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static List<string> Postgres(TestDatabase database, bool withSearch)
    {
        using var connection = new NpgsqlConnection(database.Settings["ConnectionStrings:Parley"]);
        connection.Open();
        var rows = new List<string>();
        rows.AddRange(Query(connection, """
            SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(character_maximum_length::text, '') || ' ' || is_identity
            FROM information_schema.columns WHERE table_schema = 'public'
            """).Where(r => Keep(r[..r.IndexOf('.', StringComparison.Ordinal)], withSearch)));
        rows.AddRange(Query(connection, "SELECT tablename || ' ' || indexdef FROM pg_indexes WHERE schemaname = 'public'")
            .Where(r => Keep(r[..r.IndexOf(' ', StringComparison.Ordinal)], withSearch) && (withSearch || !r.Contains("INDEX search_", StringComparison.Ordinal))));
        rows.AddRange(Query(connection, "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace")
            .Where(r => Keep(r[..r.IndexOf(' ', StringComparison.Ordinal)].Trim('"'), withSearch)));
        if (withSearch)
        {
            rows.AddRange(Query(connection, "SELECT 'function ' || p.proname || ' ' || pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'parley_%'"));
            rows.AddRange(Query(connection, "SELECT 'extension ' || extname FROM pg_extension"));
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static bool Keep(string table, bool withSearch) =>
        !Bookkeeping.Contains(table) && (withSearch || !(table.StartsWith("message_search", StringComparison.Ordinal) || table.StartsWith("contact_search", StringComparison.Ordinal)
            || table.StartsWith("knowledge_search", StringComparison.Ordinal)));

    private static List<string> Query(System.Data.Common.DbConnection connection, string sql)
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
}
