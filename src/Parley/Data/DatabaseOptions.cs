namespace Parley.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from <c>Parley:Database</c>; the connection string is <c>ConnectionStrings:Parley</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Parley:Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}
