using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Work;

/// <summary>
/// Takes the next due item for a worker. Of the items that may run now (due, and no item of the same serial key
/// running), interactive work goes before bulk work (a campaign's hundred sends never stand in front of a reply),
/// then the tenant with the least work running goes first (one tenant's flood of texts leaves the other workers
/// to everyone else), then the oldest due.
/// <para>On PostgreSQL that is one statement. On SQLite, where every write waits its turn at the
/// <see cref="SqliteWriteGate"/>, choosing (which reads the whole due backlog) happens outside the gate as a
/// read, and only the lease is written under it: a short update that takes the first of the chosen items still
/// free, re-checking its serial key. Under a flood of webhooks the choosing had held the gate for a millisecond
/// or more per claim, and every webhook commit waited behind it.</para>
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
            ORDER BY CASE WHEN w."Kind" IN (/*bulk*/) THEN 1 ELSE 0 END, COALESCE(b."Running", 0), w."DueAtUtc", w."Id"
            LIMIT 1 /*lock*/)
        RETURNING "Id" AS "Value"
        """;

    // SQLite, outside the gate: the same choice as above, its first few in order (a read, so it waits for no writer).
    private const string CandidatesSql = """
        WITH running AS (
            SELECT r."TenantId", r."SerialKey" FROM "WorkItems" AS r
            WHERE r."Status" = 1 AND r."LeaseUntilUtc" >= @p2),
        busy AS (
            SELECT "TenantId", COUNT(*) AS "Running" FROM running WHERE "TenantId" IS NOT NULL GROUP BY "TenantId")
        SELECT w."Id" AS "Value" FROM "WorkItems" AS w
        LEFT JOIN busy AS b ON b."TenantId" = w."TenantId"
        WHERE ((w."Status" = 0 AND w."DueAtUtc" <= @p2) OR (w."Status" = 1 AND w."LeaseUntilUtc" < @p2))
          AND (w."SerialKey" IS NULL OR w."SerialKey" NOT IN (SELECT "SerialKey" FROM running WHERE "SerialKey" IS NOT NULL))
        ORDER BY CASE WHEN w."Kind" IN (/*bulk*/) THEN 1 ELSE 0 END, COALESCE(b."Running", 0), w."DueAtUtc", w."Id"
        LIMIT 32
        """;

    // SQLite, under the gate: the first candidate that another worker has not leased meanwhile, and whose serial
    // key has not started running since. A few primary-key and index lookups.
    private const string TakeSql = """
        UPDATE "WorkItems" SET "Status" = 1, "LeaseOwner" = @p0, "LeaseUntilUtc" = @p1, "Attempts" = "Attempts" + 1
        WHERE "Id" = (
            SELECT w."Id" FROM json_each(@p3) AS c JOIN "WorkItems" AS w ON w."Id" = c."value"
            WHERE ((w."Status" = 0 AND w."DueAtUtc" <= @p2) OR (w."Status" = 1 AND w."LeaseUntilUtc" < @p2))
              AND (w."SerialKey" IS NULL OR NOT EXISTS (
                  SELECT 1 FROM "WorkItems" AS r WHERE r."SerialKey" = w."SerialKey" AND r."Status" = 1 AND r."LeaseUntilUtc" >= @p2))
            ORDER BY c."key"
            LIMIT 1)
        RETURNING "Id" AS "Value"
        """;

    private readonly string candidatesSql;
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

        var list = bulk.Count == 0 ? "NULL" : string.Join(", ", bulk.Select(name => $"'{name}'"));
        candidatesSql = CandidatesSql.Replace("/*bulk*/", list, StringComparison.Ordinal);
        postgresSql = ClaimSql.Replace("/*bulk*/", list, StringComparison.Ordinal).Replace("/*lock*/", "FOR UPDATE OF w SKIP LOCKED", StringComparison.Ordinal);
    }

    /// <summary>Leases the next item to <paramref name="owner"/> until <paramref name="leaseUntil"/>; null when none may run.</summary>
    public async Task<long?> ClaimAsync(ParleyDb db, string owner, DateTime now, DateTime leaseUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsNpgsql())
        {
            // Claims are serialised across instances by a transaction-scoped advisory lock: the check that no
            // item of the same serial key is running must see every earlier claim, or two instances (or two
            // loops) could each start one item of the same conversation. A claim takes a millisecond.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7306120002)", cancellationToken);
            var claimed = await db.Database.SqlQueryRaw<long>(postgresSql, Param(db, "@p0", owner), Param(db, "@p1", leaseUntil), Param(db, "@p2", now))
                .ToListAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return claimed.Count == 0 ? null : claimed[0];
        }

        // The choice is kept for a moment and shared by the workers of this process: under a flood each claim
        // re-reading the whole backlog was a third of the process's time. A kept choice is at most
        // ChoiceLifetime old, so a newer reply waits that long at most for its place in the order; the update
        // re-checks every item it takes, so a kept id another worker took is only passed over.
        for (var round = 0; round < 10; round++)
        {
            var chosen = KeptChoice();
            if (chosen is null)
            {
                var read = await db.Database.SqlQueryRaw<long>(candidatesSql, Param(db, "@p2", now)).ToListAsync(cancellationToken);
                if (read.Count == 0)
                {
                    return null;
                }

                chosen = Keep(read);
            }

            var ids = "[" + string.Join(',', chosen.Select(id => id.ToString(CultureInfo.InvariantCulture))) + "]";
            var taken = await writeGate.RunAsync(
                () => db.Database.SqlQueryRaw<long>(TakeSql, Param(db, "@p0", owner), Param(db, "@p1", leaseUntil), Param(db, "@p2", now), Param(db, "@p3", ids))
                    .ToListAsync(cancellationToken),
                cancellationToken);
            if (taken.Count > 0)
            {
                Forget(taken[0]);
                return taken[0];
            }

            Forget(null); // every kept item is taken (or no longer due): choose again
        }

        return null;
    }

    private static readonly TimeSpan ChoiceLifetime = TimeSpan.FromMilliseconds(20);
    private readonly Lock keptSync = new();
    private List<long> kept = [];
    private long keptAt;

    private List<long>? KeptChoice()
    {
        lock (keptSync)
        {
            return kept.Count > 0 && Stopwatch.GetElapsedTime(keptAt) < ChoiceLifetime ? [.. kept] : null;
        }
    }

    private List<long> Keep(List<long> chosen)
    {
        lock (keptSync)
        {
            kept = chosen;
            keptAt = Stopwatch.GetTimestamp();
            return [.. chosen];
        }
    }

    private void Forget(long? taken)
    {
        lock (keptSync)
        {
            if (taken is { } id)
            {
                kept.Remove(id);
            }
            else
            {
                kept = [];
            }
        }
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
