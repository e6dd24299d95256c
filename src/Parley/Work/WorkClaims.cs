using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Work;

/// <summary>
/// Takes the next due item for a worker, in one statement. Of the items that may run now (due, and no item of
/// the same serial key running), interactive work goes before bulk work (a campaign's hundred sends never stand
/// in front of a reply), then the tenant with the least work running goes first (one tenant's flood of texts
/// leaves the other workers to everyone else), then the oldest due.
/// </summary>
public sealed partial class WorkClaims
{
    // Status 0 = Pending, 1 = Running (WorkStatus). SQLite runs the statement under its single writer lock; on
    // PostgreSQL, SKIP LOCKED lets instances pass over rows another instance is claiming.
    private const string ClaimSql = """
        WITH running AS (
            SELECT r."TenantId", r."SerialKey" FROM "WorkItems" AS r
            WHERE r."Status" = 1 AND r."LeaseUntilUtc" >= @p2),
        busy AS (
            SELECT "TenantId", COUNT(*) AS "Running" FROM running WHERE "TenantId" IS NOT NULL GROUP BY "TenantId")
        UPDATE "WorkItems" SET "Status" = 1, "LeaseOwner" = @p0, "LeaseUntilUtc" = @p1, "Attempts" = "Attempts" + 1
        WHERE "Id" = (
            SELECT w."Id" FROM "WorkItems" AS w
            LEFT JOIN busy AS b ON b."TenantId" = w."TenantId"
            WHERE ((w."Status" = 0 AND w."DueAtUtc" <= @p2) OR (w."Status" = 1 AND w."LeaseUntilUtc" < @p2))
              AND (w."SerialKey" IS NULL OR w."SerialKey" NOT IN (SELECT "SerialKey" FROM running WHERE "SerialKey" IS NOT NULL))
              AND (@p3 = 0 OR w."Kind" NOT IN (/*bulk*/))
            ORDER BY CASE WHEN w."Kind" IN (/*bulk*/) THEN 1 ELSE 0 END, COALESCE(b."Running", 0), w."DueAtUtc", w."Id"
            LIMIT 1 /*lock*/)
        RETURNING "Id" AS "Value"
        """;

    private readonly string sqliteSql;
    private readonly string postgresSql;
    private readonly SqliteWriteGate writeGate;

    public WorkClaims(IEnumerable<WorkKind> kinds, SqliteWriteGate writeGate)
    {
        ArgumentNullException.ThrowIfNull(kinds);
        this.writeGate = writeGate;
        // Kind names are constants of the code, checked here, so they can be written into the statement.
        var bulk = kinds.Where(k => k.Priority == WorkPriority.Bulk).Select(k => k.Name).Distinct().ToList();
        if (bulk.FirstOrDefault(name => !KindName().IsMatch(name)) is { } odd)
        {
            throw new InvalidOperationException($"Work kind '{odd}' has characters a kind name may not have.");
        }

        var list = bulk.Count == 0 ? "''" : string.Join(", ", bulk.Select(name => $"'{name}'"));
        sqliteSql = ClaimSql.Replace("/*bulk*/", list, StringComparison.Ordinal);
        postgresSql = sqliteSql.Replace("/*lock*/", "FOR UPDATE OF w SKIP LOCKED", StringComparison.Ordinal);
    }

    /// <summary>Leases the next item to <paramref name="owner"/> until <paramref name="leaseUntil"/>; null when none may run.</summary>
    /// <param name="interactiveOnly">whether bulk work is left for other loops (the loop kept for replies)</param>
    public async Task<long?> ClaimAsync(ParleyDb db, string owner, DateTime now, DateTime leaseUntil, bool interactiveOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            // Claims are serialised across instances by a transaction-scoped advisory lock: the check that no
            // item of the same serial key is running must see every earlier claim, or two instances (or two
            // loops) could each start one item of the same conversation. A claim takes a millisecond.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7306120002)", cancellationToken);
            var claimed = await db.Database.SqlQueryRaw<long>(postgresSql, Param(db, "@p0", owner), Param(db, "@p1", leaseUntil), Param(db, "@p2", now), Param(db, "@p3", interactiveOnly ? 1 : 0))
                .ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return claimed.Count == 0 ? null : claimed[0];
        }

        var ids = await writeGate.RunAsync(
            () => db.Database.SqlQueryRaw<long>(sqliteSql, Param(db, "@p0", owner), Param(db, "@p1", leaseUntil), Param(db, "@p2", now), Param(db, "@p3", interactiveOnly ? 1 : 0))
                .ToListAsync(cancellationToken),
            cancellationToken);
        return ids.Count == 0 ? null : ids[0];
    }

    private static System.Data.Common.DbParameter Param(ParleyDb db, string name, object value)
    {
        using var command = db.Database.GetDbConnection().CreateCommand();
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        return parameter;
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex KindName();
}
