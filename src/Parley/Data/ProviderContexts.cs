using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Parley.Accounts;
using Parley.Work;

namespace Parley.Data;

/// <summary>The model on SQLite; its migrations live in <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteParleyDb(DbContextOptions<SqliteParleyDb> options, TenantScope tenantScope, WorkSignal workSignal, SqliteWriteGate? writeGate = null)
    : ParleyDb(options, tenantScope, workSignal, writeGate);

/// <summary>The model on PostgreSQL; its migrations live in <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresParleyDb(DbContextOptions<PostgresParleyDb> options, TenantScope tenantScope, WorkSignal workSignal)
    : ParleyDb(options, tenantScope, workSignal);

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without the app or a database.</summary>
internal sealed class SqliteParleyDbDesignFactory : IDesignTimeDbContextFactory<SqliteParleyDb>
{
    public SqliteParleyDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteParleyDb>().UseSqlite("Data Source=design-time.db").Options, new TenantScope(), new WorkSignal());
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without the app or a server (nothing connects).</summary>
internal sealed class PostgresParleyDbDesignFactory : IDesignTimeDbContextFactory<PostgresParleyDb>
{
    public PostgresParleyDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresParleyDb>().UseNpgsql("Host=localhost;Database=parley_design_time").Options, new TenantScope(), new WorkSignal());
}
