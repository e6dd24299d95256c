using System.Text.RegularExpressions;
using Parley.Knowledge;

namespace Parley.Agent.Rules;

/// <summary>
/// A passage's own wording as an SMS: whole sentences from its start, as many as fit. Nothing is reworded,
/// added or cut mid-sentence; a passage whose first sentence does not fit is not quoted at all.
/// </summary>
internal static partial class KnowledgeAnswer
{
    /// <param name="room">characters available for the answer</param>
    public static string? Quote(KnowledgePassage passage, int room)
    {
        ArgumentNullException.ThrowIfNull(passage);
        var answer = "";
        foreach (var sentence in Sentences(passage.Text))
        {
            var longer = answer.Length == 0 ? sentence : $"{answer} {sentence}";
            if (longer.Length > room)
            {
                break;
            }

            answer = longer;
        }

        return answer.Length == 0 ? null : answer;
    }

    /// <summary>The passage's sentences, GSM-safe: a sentence ends at ".", "!" or "?" followed by a space and a
    /// capital, a digit or a quote.</summary>
    public static IEnumerable<string> Sentences(string text) =>
        SentenceEnd().Split(ReplyWriter.GsmSafe(string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries))))
            .Select(s => s.Trim())
            .Where(s => s.Length > 0);

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z0-9""'(])")]
    private static partial Regex SentenceEnd();
}
