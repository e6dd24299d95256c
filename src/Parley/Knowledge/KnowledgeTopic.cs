using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace Parley.Knowledge;

/// <summary>
/// What a question asks about, where closeness in meaning is not enough to tell. An embedding puts "do you buy
/// commercial property" right beside "we buy rental properties" and "do you do rent to own" beside "we buy
/// houses with tenants": the shape and most words match, the one word that matters does not. So in "do/can/will
/// you buy (take, do, offer, have…) X" and "are you X", every meaningful word of X (and a verb that is not a
/// light one) must be in the entry or its synonyms; and a texter who wants to buy or rent from the business
/// ("can i rent it back", "any houses for sale") is answered only by an entry written for that question.
/// </summary>
internal static partial class KnowledgeTopic
{
    /// <summary>Verbs that say what the business deals in; their object is the topic.</summary>
    private static readonly FrozenSet<string> ScopeVerbs = new[]
    {
        "buy", "buying", "purchase", "take", "accept", "do", "offer", "handle", "have", "sell", "rent", "lease", "pay",
        "work", "deal", "want", "fix", "help", "provide", "recommend", "cover", "serve", "been",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Verbs that say little by themselves: only their object has to be in the entry.</summary>
    private static readonly FrozenSet<string> LightVerbs = new[] { "do", "have", "take", "want", "work", "deal", "handle", "accept", "buy", "buying", "purchase", "been" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words between "you" and the verb or the object that change nothing ("do you guys still buy").</summary>
    private static readonly FrozenSet<string> Fillers = new[]
    {
        "guys", "all", "folks", "still", "also", "even", "ever", "currently", "really", "actually", "usually", "normally",
        "interested", "able", "willing", "looking", "in", "to", "going",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words in an object that do not narrow it ("do you buy those ones too").</summary>
    private static readonly FrozenSet<string> Vague = new[]
    {
        "still", "also", "even", "too", "those", "these", "ones", "kind", "kinds", "type", "types", "sort", "stuff", "anything",
        "something", "everything", "thing", "things", "whatever", "lol", "tbh", "guys", "again", "real", "estate",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Auxiliaries = new[] { "do", "does", "did", "can", "could", "will", "would", "are", "have" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Words that start another clause: the object ends there.</summary>
    private static readonly FrozenSet<string> ClauseStarts = new[] { "how", "what", "when", "where", "why", "which", "who", "if", "because", "or" }
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The meaningful words of a "you VERB X", "are you X" or "what is your X" in a normalised clause.
    /// Empty when the clause asks nothing of that shape.</summary>
    public static IReadOnlyList<TopicWord> Topic(IReadOnlyList<string> words)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (AsksAboutOurs(words, i))
            {
                return Object(words, i + 2);
            }

            if (!Auxiliaries.Contains(words[i]) || !IsUs(words, i + 1, out var next))
            {
                continue;
            }

            while (next < words.Count && Fillers.Contains(words[next]))
            {
                next++;
            }

            if (words[i] == "are" && (next >= words.Count || !ScopeVerbs.Contains(words[next])))
            {
                // "are you contacting me" asks what we do, in a verb no list holds: not what we are.
                if (next < words.Count && words[next].EndsWith("ing", StringComparison.Ordinal))
                {
                    continue;
                }

                return Object(words, next);
            }

            if (next >= words.Count || !ScopeVerbs.Contains(words[next]))
            {
                continue;
            }

            // "what would you pay for my house on elm st": the price of the thing, whatever the thing is called.
            if (words[next] is "pay" or "offer" or "give" && next + 1 < words.Count && words[next + 1] == "for")
            {
                continue;
            }

            var verb = LightVerbs.Contains(words[next]) ? [] : new[] { new TopicWord(QuestionNormalizer.Stem(words[next]), Meaning(words[next]), false) };
            return [.. verb, .. Object(words, next + 1)];
        }

        return [];
    }

    /// <summary>Whether an entry holds every meaningful word of the question's topic, and two words the texter wrote
    /// side by side that the entry holds as written also side by side: "short sales" is not asked about by an entry
    /// saying "a short visit" and "recent sales".</summary>
    public static bool Covers(IReadOnlyList<TopicWord> topic, IReadOnlySet<string> entryStems, IReadOnlySet<string> entryPairs)
    {
        for (var i = 0; i < topic.Count; i++)
        {
            if (!topic[i].Meaning.Any(entryStems.Contains))
            {
                return false;
            }

            if (topic[i].FollowsPrevious && entryStems.Contains(topic[i].Stem) && entryStems.Contains(topic[i - 1].Stem)
                && !entryPairs.Contains($"{topic[i - 1].Stem} {topic[i].Stem}"))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adjacent meaningful words of a text, stemmed, as "first second": what <see cref="Covers"/> compares.</summary>
    public static IEnumerable<string> Pairs(IEnumerable<string> words)
    {
        string? previous = null;
        foreach (var word in words.Where(w => !TextingShorthand.StopWords.Contains(w)).Select(QuestionNormalizer.Stem))
        {
            if (previous is not null)
            {
                yield return $"{previous} {word}";
            }

            previous = word;
        }
    }

    /// <summary>"what is your X", "where are your X".</summary>
    private static bool AsksAboutOurs(IReadOnlyList<string> words, int at) =>
        at > 0 && at + 2 < words.Count && words[at - 1] is "what" or "where" or "which" && words[at] is "is" or "are" && words[at + 1] == "your";

    /// <summary>The meaningful words from <paramref name="start"/> to the end of the clause.</summary>
    private static List<TopicWord> Object(IReadOnlyList<string> words, int start)
    {
        var topic = new List<TopicWord>();
        var lastMeaningful = -2;
        for (var at = start; at < words.Count && !ClauseStarts.Contains(words[at]); at++)
        {
            var word = words[at];
            if (!TextingShorthand.StopWords.Contains(word) && !Vague.Contains(word) && !word.All(char.IsAsciiDigit))
            {
                topic.Add(new TopicWord(QuestionNormalizer.Stem(word), Meaning(word), lastMeaningful == at - 1 && topic.Count > 0));
                lastMeaningful = at;
            }
        }

        return topic;
    }

    /// <summary>The texter wants to buy or rent from the business, or stay on after selling.</summary>
    public static bool AsksToBuyFromUs(string normalizedText) => BuyerQuestion().IsMatch(normalizedText);

    private static string[] Meaning(string word) =>
        (TextingShorthand.Synonyms.TryGetValue(word, out var synonyms) ? synonyms.Append(word) : [word])
            .Select(QuestionNormalizer.Stem).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>"you", "u", "your company", "yall" at <paramref name="at"/>; <paramref name="next"/> is the word after.</summary>
    private static bool IsUs(IReadOnlyList<string> words, int at, out int next)
    {
        next = at + 1;
        if (words[at] == "you")
        {
            return true;
        }

        if (words[at] == "your" && at + 1 < words.Count && words[at + 1] is "company" or "business" or "team")
        {
            next = at + 2;
            return true;
        }

        return false;
    }

    [GeneratedRegex("""
        \b(?:can|could|may|do|will|would|should)\ (?:i|we)\ (?:still\ )?(?:buy|purchase|rent|lease|stay|keep\ living|live)\b
        | \b(?:i|we)\ (?:would\ like|want|am\ looking|are\ looking|need|would\ love|am\ interested|are\ interested|am\ trying|plan)\ (?:to|in)\ (?:buy|buying|purchase|rent|renting|lease)\b
        | \b(?:you|company)\ (?:also\ |ever\ |guys\ )?(?:sell|rent|lease)\b
        | \bfor\ (?:rent|sale|lease)\b | \brent\ (?:it\ |the\ house\ |the\ home\ )?back\b | \brent\ to\ own\b
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex BuyerQuestion();
}

/// <summary>A word of a question's topic: its stem, the stems an entry may hold for it (its own and its synonyms'),
/// and whether the texter wrote it right after the previous topic word.</summary>
internal sealed record TopicWord(string Stem, string[] Meaning, bool FollowsPrevious);
