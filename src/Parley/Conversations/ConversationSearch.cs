using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Conversations;

/// <summary>
/// Finds conversations by what a person at the business remembers of them: words from any message, the
/// contact's name or company, or digits of a phone number.
/// </summary>
/// <remarks>
/// Words are answered by each database's own full-text index, kept in step by triggers (migrations Search and
/// TenantKeyedSearch): FTS5 on SQLite, GIN over <c>tsvector</c> on PostgreSQL. Both indexes are keyed by tenant, so
/// a search reads only the searching tenant's part of them: on SQLite each tenant's rows have their own range of
/// FTS5 row ids, on PostgreSQL each indexed word carries its tenant's id in front. Both match every word of the search as the
/// prefix of a word, ignoring case and accents, so the two providers give the same answers. A conversation
/// matches when one message holds all the words, or the contact's name and company do. The search text is
/// never handed to either engine as syntax: it is split into runs of letters and digits here, and quotes,
/// operators and punctuation only separate words. Phone digits (three or more) are a substring match over
/// the tenant's own numbers, which the (TenantId, Number) index keeps small.
/// </remarks>
internal static class ConversationSearch
{
    /// <summary>At most this many words of a search are used; the rest only narrow it further.</summary>
    public const int MaxWords = 8;

    /// <summary>Why a search is refused, or null. A one-character word is the prefix of nearly every indexed
    /// word of every tenant, so a search with nothing longer would cost in proportion to all tenants' texts.</summary>
    public static string? Refusal(string search)
    {
        var trimmed = search.Trim();
        var words = Words(trimmed);
        var digits = trimmed.Count(char.IsAsciiDigit);
        return trimmed.Length < 2 || (words.Count > 0 && words.All(w => w.Length < 2) && digits < 3)
            ? "Search for at least 2 letters or digits together."
            : null;
    }

    /// <summary>The words of a search: lower-cased runs of letters and digits with accents removed.</summary>
    public static IReadOnlyList<string> Words(string search)
    {
        var folded = new StringBuilder(search.Length);
        foreach (var c in search.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            folded.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        return folded.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().Take(MaxWords).ToList();
    }

    /// <summary>The words handed to the full-text index: those of two characters or more. A one-character prefix
    /// reads the index entries of every word starting with that letter, whichever tenant wrote it, before the
    /// tenant's range narrows them; beside a longer word it narrows the answer by almost nothing, so it is left
    /// out (a search of nothing longer is refused, see <see cref="Refusal"/>).</summary>
    public static IReadOnlyList<string> IndexWords(string search) => Words(search).Where(w => w.Length >= 2).ToList();

    /// <summary>From this many hits of the search's words in either index, a search on SQLite walks the tenant's
    /// conversations newest first instead of collecting every hit's conversation (see <see cref="MatchingAsync"/>).</summary>
    public const int CrowdedAt = 2000;

    /// <summary>Conversations whose contact or one of whose messages holds every word, or whose phone holds
    /// the digits; narrowed to the current tenant by the model's filters.</summary>
    /// <remarks>On SQLite the plan depends on how many entries of the index the words hit, counted first (at most
    /// <paramref name="crowdedAt"/> each, so the count stays cheap):
    /// <list type="bullet">
    /// <item>Few hits: the hits' conversations are collected (one primary-key lookup per hit) and looked up by id,
    /// then sorted. A rare word costs what its few hits cost, whatever the size of the tenant.</item>
    /// <item>Many hits (common words: "roof insp" hit 50,000 of a million messages): collecting took a lookup per hit
    /// before the newest hundred could be picked (about 110 ms). Instead the tenant's conversations are walked
    /// newest first, each checked against the hits through its own messages, and the walk stops at the page's
    /// end; when hits are that many, matching conversations are dense and the page fills early (16 ms).</item>
    /// </list></remarks>
    public static async Task<IQueryable<Conversation>> MatchingAsync(
        ParleyDb db, IQueryable<Conversation> query, string search, CancellationToken cancellationToken, int crowdedAt = CrowdedAt)
    {
        var words = IndexWords(search);
        var digits = new string(search.Where(char.IsAsciiDigit).ToArray());
        var digitPattern = digits.Length >= 3 ? $"%{digits}%" : null;
        if (words.Count == 0)
        {
            return digitPattern is null ? query.Where(_ => false) : query.Where(c => c.Phones.Any(p => EF.Functions.Like(p.Number, digitPattern)));
        }

        // The raw queries name the tenant themselves: model filters do not reach into raw SQL. Each is one
        // uncorrelated subquery, so the index is read once per search, not once per conversation.
        var tenantId = db.CurrentTenantId;
        if (db.Database.IsNpgsql())
        {
            var wordArray = words.ToArray();
            var contacts = db.Database.SqlQuery<Guid>($"""
                SELECT "Id" AS "Value" FROM "Contacts"
                WHERE parley_tenant_search_vector("TenantId", coalesce("FirstName", '') || ' ' || coalesce("LastName", '') || ' ' || coalesce("Company", ''))
                      @@ parley_tenant_search_query({tenantId}, {wordArray}) AND "TenantId" = {tenantId}
                """);
            var conversations = db.Database.SqlQuery<Guid>($"""
                SELECT "ConversationId" AS "Value" FROM "Messages"
                WHERE parley_tenant_search_vector("TenantId", "Text") @@ parley_tenant_search_query({tenantId}, {wordArray}) AND "TenantId" = {tenantId}
                """);
            return query.Where(c =>
                conversations.Contains(c.Id)
                || contacts.Contains(c.ContactId)
                || (digitPattern != null && c.Phones.Any(p => EF.Functions.Like(p.Number, digitPattern))));
        }

        // The tenant's range of row ids (see migration TenantKeyedSearch): FTS5 seeks to it and stops after it.
        var match = string.Join(' ', words.Select(w => $"\"{w}\"*"));
        var hits = await db.Database.SqlQuery<SearchHits>($"""
            SELECT (SELECT count(*) FROM (SELECT 1 FROM message_search WHERE message_search MATCH {match}
                        AND rowid BETWEEN (SELECT "TenantKey" * 1099511627776 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                                      AND (SELECT "TenantKey" * 1099511627776 + 1099511627775 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                        LIMIT {crowdedAt})) AS "Messages",
                   (SELECT count(*) FROM (SELECT 1 FROM contact_search WHERE contact_search MATCH {match}
                        AND rowid BETWEEN (SELECT "TenantKey" * 4294967296 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                                      AND (SELECT "TenantKey" * 4294967296 + 4294967295 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                        LIMIT {crowdedAt})) AS "Contacts"
            """).SingleAsync(cancellationToken);
        if (hits.Messages < crowdedAt && hits.Contacts < crowdedAt)
        {
            // One set of conversation ids, looked up by primary key: an OR of several sets (or of a set and a phone
            // match) would make SQLite walk every conversation of the tenant instead. Without digits the phones' part
            // is false before it reads a row.
            var ids = db.Database.SqlQuery<Guid>($"""
                SELECT m."ConversationId" AS "Value" FROM message_search AS s JOIN "Messages" AS m ON m."Id" = (s.rowid & 1099511627775)
                WHERE message_search MATCH {match} AND m."TenantId" = {tenantId}
                    AND s.rowid BETWEEN (SELECT "TenantKey" * 1099511627776 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                                    AND (SELECT "TenantKey" * 1099511627776 + 1099511627775 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                UNION
                SELECT c."Id" FROM contact_search AS s JOIN contact_search_keys AS k ON k."Key" = s.rowid
                    JOIN "Conversations" AS c ON c."ContactId" = k."ContactId" AND c."TenantId" = {tenantId}
                WHERE contact_search MATCH {match}
                    AND s.rowid BETWEEN (SELECT "TenantKey" * 4294967296 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                                    AND (SELECT "TenantKey" * 4294967296 + 4294967295 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                UNION
                SELECT p."ConversationId" FROM "ConversationPhones" AS p
                WHERE {digitPattern} IS NOT NULL AND p."TenantId" = {tenantId} AND p."Number" LIKE {digitPattern}
                """);
            return query.Where(c => ids.Contains(c.Id));
        }

        // The hits' message ids, as a set each walked conversation's messages are checked against. "+ 0" keeps SQLite
        // from looking each hit up by id instead of reading the conversation's own few messages.
        var messageHits = db.Database.SqlQuery<long>($"""
            SELECT rowid & 1099511627775 AS "Value" FROM message_search WHERE message_search MATCH {match}
                AND rowid BETWEEN (SELECT "TenantKey" * 1099511627776 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                              AND (SELECT "TenantKey" * 1099511627776 + 1099511627775 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
            """);
        var contactHits = db.Database.SqlQuery<Guid>($"""
            SELECT k."ContactId" AS "Value" FROM contact_search AS s JOIN contact_search_keys AS k ON k."Key" = s.rowid
            WHERE contact_search MATCH {match}
                AND s.rowid BETWEEN (SELECT "TenantKey" * 4294967296 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
                                AND (SELECT "TenantKey" * 4294967296 + 4294967295 FROM knowledge_search_tenants WHERE "TenantId" = {tenantId})
            """);
        return query.Where(c =>
            db.Messages.Any(m => m.ConversationId == c.Id && messageHits.Contains(m.Id + 0))
            || contactHits.Contains(c.ContactId)
            || (digitPattern != null && c.Phones.Any(p => EF.Functions.Like(p.Number, digitPattern))));
    }

    private sealed record SearchHits(int Messages, int Contacts);
}
