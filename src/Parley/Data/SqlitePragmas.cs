using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Data;

/// <summary>Per-connection SQLite settings. WAL itself is persistent and set once by the migrator; NORMAL
/// synchronous is safe under WAL (a power cut can lose the last commits, never corrupt the file). What must
/// survive a power cut raises it for its own commit: the webhook batcher commits with FULL before it answers,
/// and sets NORMAL again before the connection goes back to the pool.</summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";

    /// <summary>The native connections already set. A pooled connection keeps its settings, and every context
    /// opens one: setting them on each open ran a statement more on every unit of work.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Done = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsDone(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkDone(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsDone(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkDone(connection);
    }

    private static bool IsDone(DbConnection connection) => connection is SqliteConnection { Handle: { } handle } && Done.TryGetValue(handle, out _);

    private static void MarkDone(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            Done.TryAdd(handle, Done);
        }
    }
}
