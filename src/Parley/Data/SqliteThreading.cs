namespace Parley.Data;

/// <summary>Puts the SQLite library in multi-thread mode before the first connection opens. Its default,
/// serialized mode, locks a mutex around every call, down to reading one column of one row; an ADO.NET connection
/// is only ever used by one thread at a time, which is all multi-thread mode asks. Measured on the export, the
/// lock and unlock were 7% of its CPU.</summary>
internal static class SqliteThreading
{
    private static readonly Lazy<bool> Configured = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        // SQLITE_MISUSE once the library has started (a connection opened first): it keeps its mode, no harm done.
        return SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD) == SQLitePCL.raw.SQLITE_OK;
    });

    /// <summary>True when this call (or an earlier one) switched the mode.</summary>
    public static bool UseMultiThreadMode() => Configured.Value;
}
