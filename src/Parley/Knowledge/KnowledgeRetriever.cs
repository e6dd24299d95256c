using System.Numerics.Tensors;
using Parley.Data;

namespace Parley.Knowledge;

/// <summary>
/// Hybrid retrieval: the question is read as the business would write it (<see cref="QuestionNormalizer"/>),
/// embedded and compared by cosine with every vector of the tenant's entries (text and each question; an
/// entry scores its best, blended with its text's), and the closest are searched in the database's full-text
/// index with each word's synonyms; a hit adds a bonus for how many of the question's words it holds.
/// </summary>
/// <remarks>
/// No score alone tells a right passage from a wrong one: with all-MiniLM-L6-v2 a right answer may score 0.3 ("who
/// dis") while a question the knowledge does not cover scores 0.68 ("do you do rent to own" beside "we buy rental
/// properties with tenants"). What does tell them apart: the right entry stands out from the rest (it leads the
/// runner-up by <see cref="Lead"/>), and a "do you buy X" names an X the entry speaks of (<see cref="KnowledgeTopic"/>).
/// So an entry is answered from when it holds the question's topic, scores at least <see cref="Floor"/> and leads
/// clearly; two entries close to each other are both returned (above <see cref="Threshold"/>) so that a reader sees
/// the tie and the rules model defers rather than guessing between them.
/// </remarks>
public sealed class KnowledgeRetriever(ParleyDb db, KnowledgeIndex index, KnowledgeEmbeddings embeddings) : IKnowledgeRetriever
{
    /// <summary>The least a clear leader must score: below it even a clear lead is a lead among strangers
    /// ("whats the weather" is closest to something, by a little). Tuned on the tests' cash buyer FAQs (see README).</summary>
    public const double Floor = 0.25;

    /// <summary>How far the best entry must lead the next one to be the answer rather than a guess between two.</summary>
    public const double Lead = 0.06;

    /// <summary>The lead a best entry scoring under <see cref="Threshold"/> needs: a weak match is only an answer
    /// when nothing else comes near it.</summary>
    public const double WeakLead = 0.1;

    /// <summary>A near tie is shown only from this score: two weak matches say nothing at all.</summary>
    public const double Threshold = 0.45;

    /// <summary>What the best full-text match adds to its cosine: sharing the business's words is evidence,
    /// not proof (the off-topic "can you fix my phone" shares "fix" with "repairs").</summary>
    public const double LexicalWeight = 0.1;

    /// <summary>How much the passage's own text counts beside its closest vector (text or a question): a short
    /// question of the same shape ("do you sell cars" / "do you buy in my city") is close by form alone.</summary>
    public const double TextWeight = 0.4;

    /// <summary>An entry no word of the question (nor its synonyms) reaches in the full-text index must score this
    /// by meaning alone: "when would i get paid" is close to "our cash offer is…" without asking about it.</summary>
    public const double SemanticOnly = 0.45;

    /// <summary>Passages far below the best are noise next to it.</summary>
    public const double Margin = 0.15;

    private const int Shortlist = 30;

    public async Task<IReadOnlyList<KnowledgePassage>> RetrieveAsync(Guid tenantId, Guid? assistantId, string text, int limit, CancellationToken cancellationToken)
    {
        // Rounded first, so that the lead the rules model sees in the returned scores is the lead decided on here.
        var ranked = (await RankAsync(tenantId, assistantId, text, cancellationToken)).Select(p => p with { Score = Math.Round(Math.Min(1, p.Score), 3) }).ToList();
        if (ranked.Count == 0 || ranked[0].Score < Floor)
        {
            return [];
        }

        var top = ranked[0].Score;
        if (!LeadsClearly(ranked) && top < Threshold)
        {
            return [];
        }

        return ranked.TakeWhile(p => p.Score >= top - Margin).Take(limit).ToList();
    }

    /// <summary>Whether the first of these passages (best first) is the answer rather than one of a near tie.</summary>
    public static bool LeadsClearly(IReadOnlyList<KnowledgePassage> ranked)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        return ranked.Count == 1 || (ranked.Count > 1 && ranked[0].Score - ranked[1].Score >= (ranked[0].Score >= Threshold ? Lead : WeakLead));
    }

    /// <summary>Every entry the assistant may use whose words hold the question's topic and that shares a word with
    /// the question or is close enough without, best first, unrounded.</summary>
    internal async Task<IReadOnlyList<KnowledgePassage>> RankAsync(Guid tenantId, Guid? assistantId, string text, CancellationToken cancellationToken)
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
        // further down past the leaders, and asking about a few entries costs the same for 10 or 10,000.
        var shortlist = Enumerable.Range(0, scores.Length).Where(i => scores[i] >= Floor - LexicalWeight)
            .OrderByDescending(i => scores[i]).Take(Shortlist).Select(i => knowledge.Entries[i].Id).ToList();
        var lexical = shortlist.Count == 0 ? []
            : await KnowledgeFullText.SearchAsync(db, tenantId, question.Terms.Take(40).ToList(), Shortlist, shortlist, cancellationToken);
        var supported = new bool[scores.Length];
        foreach (var hit in lexical.Where(h => knowledge.Positions.ContainsKey(h.Id)))
        {
            var at = knowledge.Positions[hit.Id];
            var coverage = question.Coverage(knowledge.Entries[at].Stems);
            scores[at] += LexicalWeight * coverage;
            supported[at] = coverage > 0;
        }

        return Enumerable.Range(0, scores.Length)
            .Where(i => (supported[i] || scores[i] >= SemanticOnly) && Allowed(knowledge.Entries[i], assistantId) && OnTopic(knowledge.Entries[i], question))
            .OrderByDescending(i => scores[i])
            .Select(i => new KnowledgePassage(knowledge.Entries[i].Id, knowledge.Entries[i].Title, knowledge.Entries[i].Text, scores[i]))
            .ToList();
    }

    private static bool OnTopic(TenantKnowledge.Entry entry, NormalizedQuestion question) =>
        KnowledgeTopic.Covers(question.Topic, entry.Stems, entry.Pairs) && (!question.AsksToBuy || entry.ForBuyers);

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
