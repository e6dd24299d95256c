using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>One tenant's knowledge as retrieval reads it: every entry's vectors in one array, and the
/// vocabulary misspellings are corrected to.</summary>
internal sealed class TenantKnowledge
{
    public required string Stamp { get; init; }
    public required Entry[] Entries { get; init; }

    /// <summary>All vectors one after another; <see cref="Owners"/> says which entry each belongs to.</summary>
    public required float[] Vectors { get; init; }

    public required int[] Owners { get; init; }
    public required int Dimensions { get; init; }
    public required SpellingCorrector Spelling { get; init; }

    /// <summary>Where each entry sits in <see cref="Entries"/>.</summary>
    public required FrozenDictionary<Guid, int> Positions { get; init; }

    /// <param name="ForBuyers">one of its questions asks to buy or rent from the business (<see cref="KnowledgeTopic.AsksToBuyFromUs"/>)</param>
    /// <param name="Pairs">its adjacent meaningful words (<see cref="KnowledgeTopic.Pairs"/>)</param>
    public sealed record Entry(Guid Id, string Title, string Text, Guid[] AssistantIds, FrozenSet<string> Stems, FrozenSet<string> Pairs, bool ForBuyers);
}

/// <summary>
/// Keeps each tenant's <see cref="TenantKnowledge"/> in memory, so that a question costs one embedding and a
/// pass over the tenant's vectors (pgvector is not assumed: cosine runs in process on both providers).
/// </summary>
/// <remarks>A cached copy is used while the tenant's entries are unchanged: their count and latest update,
/// read from the (TenantId, UpdatedAtUtc) index on every retrieval, so a change made by any instance is seen
/// at once. Entries without vectors from the current model are embedded and saved when loaded.</remarks>
public sealed class KnowledgeIndex(KnowledgeEmbeddings embeddings)
{
    private readonly ConcurrentDictionary<Guid, TenantKnowledge> tenants = new();
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> loading = new();

    internal async Task<TenantKnowledge> GetAsync(ParleyDb db, Guid tenantId, CancellationToken cancellationToken)
    {
        var stamp = await StampAsync(db, tenantId, cancellationToken);
        if (tenants.TryGetValue(tenantId, out var cached) && cached.Stamp == stamp)
        {
            return cached;
        }

        var gate = loading.GetOrAdd(tenantId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (tenants.TryGetValue(tenantId, out cached) && cached.Stamp == stamp)
            {
                return cached;
            }

            var loaded = await LoadAsync(db, tenantId, cancellationToken);
            tenants[tenantId] = loaded;
            return loaded;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<string> StampAsync(ParleyDb db, Guid tenantId, CancellationToken cancellationToken)
    {
        var entries = db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.TenantId == tenantId);
        var count = await entries.CountAsync(cancellationToken);
        var latest = count == 0 ? default : await entries.MaxAsync(e => e.UpdatedAtUtc, cancellationToken);
        return $"{count}:{latest.Ticks}";
    }

    private async Task<TenantKnowledge> LoadAsync(ParleyDb db, Guid tenantId, CancellationToken cancellationToken)
    {
        // Read with its stamp first: a change landing during the load makes the next retrieval load again.
        var stamp = await StampAsync(db, tenantId, cancellationToken);
        var rows = await db.KnowledgeEntries.IgnoreQueryFilters().AsNoTracking().Where(e => e.TenantId == tenantId).ToListAsync(cancellationToken);
        var stale = rows.Where(e => e.Embedding is null || e.EmbeddingModel != embeddings.ModelName).ToList();
        if (stale.Count > 0)
        {
            await embeddings.EmbedAsync(stale, cancellationToken);
            foreach (var entry in stale)
            {
                await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Id == entry.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.Embedding, entry.Embedding).SetProperty(e => e.EmbeddingModel, entry.EmbeddingModel), cancellationToken);
            }
        }

        var dimensions = rows.Count == 0 ? 0 : rows[0].Embedding!.Length / sizeof(float) / (rows[0].Questions.Count + 1);
        var vectors = new List<float>();
        var owners = new List<int>();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var stems = new FrozenSet<string>[rows.Count];
        var pairs = new FrozenSet<string>[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var words = KnowledgeWords.Split($"{rows[i].Title} {rows[i].Heading} {rows[i].Text} {string.Join(' ', rows[i].Questions)}");
            stems[i] = words.Select(QuestionNormalizer.Stem).ToFrozenSet(StringComparer.Ordinal);
            pairs[i] = KnowledgeTopic.Pairs(words).ToFrozenSet(StringComparer.Ordinal);
            foreach (var vector in KnowledgeEmbeddings.FromBytes(rows[i].Embedding!, dimensions))
            {
                vectors.AddRange(vector);
                owners.Add(i);
            }

            foreach (var word in words)
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        return new TenantKnowledge
        {
            Stamp = stamp,
            Entries = rows.Select((e, i) => new TenantKnowledge.Entry(e.Id, e.Title, e.Text, [.. e.AssistantIds], stems[i], pairs[i],
                e.Questions.Any(q => KnowledgeTopic.AsksToBuyFromUs(QuestionNormalizer.Normalize(q, null).Text)))).ToArray(),
            Vectors = [.. vectors],
            Owners = [.. owners],
            Dimensions = dimensions,
            Spelling = new SpellingCorrector(counts),
            Positions = rows.Select((e, i) => (e.Id, i)).ToFrozenDictionary(p => p.Id, p => p.i),
        };
    }
}
