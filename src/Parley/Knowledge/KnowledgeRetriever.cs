using System.Numerics.Tensors;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>
/// Hybrid retrieval: the question is read as the business would write it (<see cref="QuestionNormalizer"/>),
/// embedded and compared by cosine with every vector of the tenant's entries (text and each question; an
/// entry scores its best, blended with its text's), and the closest are searched in the database's full-text
/// index with each word's synonyms. The
/// score is the cosine plus a bonus for how many of the question's words (or their synonyms) a full-text
/// hit holds; below <see cref="Threshold"/> nothing counts.
/// </summary>
public sealed class KnowledgeRetriever(ParleyDb db, KnowledgeIndex index, KnowledgeEmbeddings embeddings) : IKnowledgeRetriever
{
    /// <summary>Below this score a passage is about something else: an answer from it would be a guess.
    /// Tuned on texted questions to a cash home buyer's FAQ and on off-topic texts (see README).</summary>
    public const double Threshold = 0.45;

    /// <summary>What the best full-text match adds to its cosine: sharing the business's words is evidence,
    /// not proof (the off-topic "can you fix my phone" shares "fix" with "repairs").</summary>
    public const double LexicalWeight = 0.1;

    /// <summary>How much the passage's own text counts beside its closest vector (text or a question): a short
    /// question of the same shape ("do you sell cars" / "do you buy in my city") is close by form alone.</summary>
    public const double TextWeight = 0.4;

    /// <summary>Passages far below the best are noise next to it, even above the threshold.</summary>
    public const double Margin = 0.15;

    /// <summary>A passage no word of the question (or its synonyms) reaches in the full-text index must be this
    /// close by meaning alone: a neighbouring subject ("rent to own" beside "rental properties with tenants")
    /// is close in meaning without being what was asked.</summary>
    public const double SemanticOnly = 0.7;

    private const int Shortlist = 30;

    public async Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid tenantId, Guid? assistantId, string text, int limit, CancellationToken cancellationToken)
    {
        var knowledge = await index.GetAsync(db, tenantId, cancellationToken);
        if (knowledge.Entries.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var question = QuestionNormalizer.Normalize(text, knowledge.Spelling);
        if (question.Text.Length == 0)
        {
            return [];
        }

        var vector = await embeddings.EmbedAsync(question.Text, cancellationToken);
        var scores = Cosines(knowledge, vector);

        // The full-text index re-ranks the semantic shortlist: the bonus is too small to lift anything from
        // further down above the threshold, and asking about a few entries costs the same for 10 or 10,000.
        var shortlist = Enumerable.Range(0, scores.Length).Where(i => scores[i] >= Threshold - LexicalWeight)
            .OrderByDescending(i => scores[i]).Take(Shortlist).Select(i => knowledge.Entries[i].Id).ToList();
        var lexical = shortlist.Count == 0 ? []
            : await KnowledgeFullText.SearchAsync(db, tenantId, question.Terms.Take(40).ToList(), Shortlist, shortlist, cancellationToken);
        var supported = new bool[scores.Length];
        if (lexical.Count > 0)
        {
            var positions = knowledge.Positions;
            foreach (var hit in lexical.Where(h => positions.ContainsKey(h.Id)))
            {
                var at = positions[hit.Id];
                var coverage = question.Coverage(knowledge.Entries[at].Stems);
                scores[at] += LexicalWeight * coverage;
                supported[at] = coverage > 0;
            }
        }

        var ranked = Enumerable.Range(0, scores.Length)
            .Where(i => scores[i] >= (supported[i] ? Threshold : SemanticOnly) && Allowed(knowledge.Entries[i], assistantId))
            .OrderByDescending(i => scores[i]).ToList();
        if (ranked.Count == 0)
        {
            return [];
        }

        var top = scores[ranked[0]];
        return ranked.TakeWhile(i => scores[i] >= top - Margin).Take(limit)
            .Select(i => new KnowledgePassage(knowledge.Entries[i].Id, knowledge.Entries[i].Title, knowledge.Entries[i].Text, Math.Round(Math.Min(1, scores[i]), 3)))
            .ToList();
    }

    /// <summary>Each entry's semantic score: its best cosine over its vectors blended with its text's cosine
    /// (all vectors are of unit length, so a cosine is a dot product). An entry's first vector is its text.</summary>
    private static double[] Cosines(TenantKnowledge knowledge, float[] question)
    {
        var best = new double[knowledge.Entries.Length];
        var text = new double[knowledge.Entries.Length];
        Array.Fill(best, double.MinValue);
        if (question.Length != knowledge.Dimensions)
        {
            return best;
        }

        var vectors = knowledge.Vectors.AsSpan();
        for (var row = 0; row < knowledge.Owners.Length; row++)
        {
            var owner = knowledge.Owners[row];
            var cosine = TensorPrimitives.Dot(vectors.Slice(row * question.Length, question.Length), question);
            if (best[owner] == double.MinValue)
            {
                text[owner] = cosine;
            }

            best[owner] = Math.Max(best[owner], cosine);
        }

        for (var i = 0; i < best.Length; i++)
        {
            best[i] = ((1 - TextWeight) * best[i]) + (TextWeight * text[i]);
        }

        return best;
    }

    private static bool Allowed(TenantKnowledge.Entry entry, Guid? assistantId) =>
        assistantId is null || entry.AssistantIds.Length == 0 || entry.AssistantIds.Contains(assistantId.Value);
}
