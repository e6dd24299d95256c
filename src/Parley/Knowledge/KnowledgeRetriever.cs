using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>Retrieval from the database's full-text index: the words of the question, stemmed by the index.</summary>
public sealed class KnowledgeRetriever(ParleyDb db) : IKnowledgeRetriever
{
    /// <summary>Below this folded rank a full-text hit is chance, not an answer.</summary>
    public const double Threshold = 0.1;

    public async Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid tenantId, Guid? assistantId, string text, int limit, CancellationToken cancellationToken)
    {
        var words = KnowledgeWords.Split(text).SelectMany(w => w.Split('\'')).Where(w => w.Length > 2).ToList();
        var hits = await KnowledgeFullText.SearchAsync(db, tenantId, words, limit * 4, cancellationToken);
        var ids = hits.Where(h => h.Rank >= Threshold).Select(h => h.Id).ToList();
        var entries = await db.KnowledgeEntries.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.TenantId == tenantId && ids.Contains(e.Id)).ToDictionaryAsync(e => e.Id, cancellationToken);
        return hits.Where(h => entries.ContainsKey(h.Id) && h.Rank >= Threshold)
            .Select(h => (Hit: h, Entry: entries[h.Id]))
            .Where(x => assistantId is null || x.Entry.AssistantIds.Count == 0 || x.Entry.AssistantIds.Contains(assistantId.Value))
            .Take(limit)
            .Select(x => new KnowledgePassage(x.Entry.Id, x.Entry.Title, x.Entry.Text, Math.Round(x.Hit.Rank, 3)))
            .ToList();
    }
}
