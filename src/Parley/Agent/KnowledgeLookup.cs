using Parley.Knowledge;

namespace Parley.Agent;

/// <summary>
/// The passages one turn may answer from: the texter's latest burst of texts is searched; a short follow-up
/// ("and fees?", "how soon tho") that finds nothing on its own is searched again with the texts before it.
/// </summary>
public sealed class KnowledgeLookup(IKnowledgeRetriever retriever)
{
    /// <summary>Enough for one answer and a runner-up; the model's prompt stays small.</summary>
    public const int Limit = 3;

    private const int ShortFollowUpWords = 5;

    public async Task<IReadOnlyList<KnowledgePassage>> FindAsync(Guid tenantId, Guid? assistantId, IReadOnlyList<TranscriptLine> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(history);
        var (burst, before) = LatestTexts(history);
        if (burst.Length == 0)
        {
            return [];
        }

        var found = await retriever.RetrieveAsync(tenantId, assistantId, burst, Limit, cancellationToken);
        if (found.Count > 0 || before.Length == 0 || WordCount(burst) > ShortFollowUpWords)
        {
            return found;
        }

        return await retriever.RetrieveAsync(tenantId, assistantId, $"{before}\n{burst}", Limit, cancellationToken);
    }

    /// <summary>The contact's texts since our side last spoke, and the contact's texts just before that.</summary>
    public static (string Burst, string Before) LatestTexts(IReadOnlyList<TranscriptLine> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var end = history.Count;
        var start = end;
        while (start > 0 && history[start - 1].From == Speaker.Contact)
        {
            start--;
        }

        var previousEnd = start;
        while (previousEnd > 0 && history[previousEnd - 1].From != Speaker.Contact)
        {
            previousEnd--;
        }

        var previousStart = previousEnd;
        while (previousStart > 0 && history[previousStart - 1].From == Speaker.Contact)
        {
            previousStart--;
        }

        return (Join(history, start, end), Join(history, previousStart, previousEnd));
    }

    private static string Join(IReadOnlyList<TranscriptLine> history, int start, int end) =>
        string.Join("\n", history.Skip(start).Take(end - start).Select(l => l.Text.Trim()).Where(t => t.Length > 0));

    private static int WordCount(string text) => text.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Length;
}
