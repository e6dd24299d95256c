using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>
/// Asks the database's own full-text index which of a tenant's entries hold any of the given words, ranked:
/// FTS5 with the porter stemmer on SQLite, an English <c>tsvector</c> under GIN on PostgreSQL (migration
/// <c>Knowledge</c>). Title and questions weigh more than the text.
/// </summary>
/// <remarks>
/// Both indexes are keyed by tenant first, so a search reads only the searching tenant's entries: on
/// PostgreSQL the GIN index leads with "TenantId" (btree_gin); on SQLite each tenant's entries occupy their
/// own range of FTS5 row ids, and the search names that range. Words reach neither engine as syntax: they
/// are runs of ASCII letters and digits made here, quoted on SQLite.
/// </remarks>
internal static class KnowledgeFullText
{
    public sealed record Hit(Guid Id, double Rank);

    /// <summary>Entries holding any of <paramref name="words"/>, best first; <see cref="Hit.Rank"/> is higher
    /// for a better match and between 0 and 1.</summary>
    public static async Task<IReadOnlyList<Hit>> SearchAsync(ParleyDb db, Guid tenantId, IReadOnlyCollection<string> words, int limit, CancellationToken cancellationToken)
    {
        var safe = words.Where(w => w.Length > 0 && w.All(char.IsAsciiLetterOrDigit)).Distinct().ToList();
        if (safe.Count == 0)
        {
            return [];
        }

        if (db.Database.IsNpgsql())
        {
            var tsquery = string.Join(" | ", safe);
            var rows = await db.Database.SqlQuery<RankedRow>($"""
                SELECT "Id", ts_rank_cd(parley_knowledge_vector("Title", "Text", "Questions"), q, 32) AS "Rank"
                FROM "KnowledgeEntries", to_tsquery('english', {tsquery}) AS q
                WHERE "TenantId" = {tenantId} AND parley_knowledge_vector("Title", "Text", "Questions") @@ q
                ORDER BY "Rank" DESC LIMIT {limit}
                """).ToListAsync(cancellationToken);
            return rows.Select(r => new Hit(r.Id, r.Rank)).ToList();
        }

        var range = await db.Database.SqlQuery<long>($"""
            SELECT "TenantKey" AS "Value" FROM knowledge_search_tenants WHERE "TenantId" = {tenantId}
            """).ToListAsync(cancellationToken);
        if (range.Count == 0)
        {
            return [];
        }

        var low = range[0] << 32;
        var high = low + uint.MaxValue;
        var match = string.Join(" OR ", safe.Select(w => $"\"{w}\""));
        var hits = await db.Database.SqlQuery<RankedRow>($"""
            SELECT k."EntryId" AS "Id", -bm25(knowledge_search, 3.0, 1.0, 3.0) AS "Rank"
            FROM knowledge_search JOIN knowledge_search_keys AS k ON k."Key" = knowledge_search.rowid
            WHERE knowledge_search MATCH {match} AND knowledge_search.rowid BETWEEN {low} AND {high}
            ORDER BY "Rank" DESC LIMIT {limit}
            """).ToListAsync(cancellationToken);

        // bm25 is unbounded; folded into 0..1 the way ts_rank_cd's normalisation 32 folds PostgreSQL's rank.
        return hits.Select(r => new Hit(r.Id, r.Rank / (r.Rank + 1))).ToList();
    }

    private sealed class RankedRow
    {
        public Guid Id { get; set; }
        public double Rank { get; set; }
    }
}
