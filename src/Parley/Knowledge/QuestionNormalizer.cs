namespace Parley.Knowledge;

/// <summary>What a texter wrote, read the way the business would have written it.</summary>
/// <param name="Text">Shorthand and contractions spelled out and misspellings corrected: what is embedded.</param>
/// <param name="Terms">The words that carry meaning, each with the words a texter uses for it: what the full-text index is asked.</param>
/// <param name="Concepts">Per meaningful word, the stems of it and its synonyms: an entry covers the word when it holds one.</param>
/// <param name="Topic">What a "do you buy X" or "are you X" asks about, which an entry must hold (<see cref="KnowledgeTopic"/>).</param>
/// <param name="AsksToBuy">The texter wants to buy or rent from the business (<see cref="KnowledgeTopic.AsksToBuyFromUs"/>).</param>
internal sealed record NormalizedQuestion(string Text, IReadOnlyList<string> Terms, IReadOnlyList<string[]> Concepts,
    IReadOnlyList<TopicWord> Topic, bool AsksToBuy)
{
    /// <summary>The share of the question's meaningful words an entry's words cover (0 to 1).</summary>
    public double Coverage(IReadOnlySet<string> stems) =>
        Concepts.Count == 0 ? 0 : (double)Concepts.Count(c => c.Any(stems.Contains)) / Concepts.Count;
}

internal static class QuestionNormalizer
{
    /// <summary>At most this many words of a text are read; a question is short, the rest is chatter.</summary>
    public const int MaxWords = 40;

    public static NormalizedQuestion Normalize(string text, SpellingCorrector? spelling)
    {
        var words = new List<string>();
        var topic = new List<TopicWord>();
        var read = 0;
        foreach (var clause in text.Split(ClauseBreaks, StringSplitOptions.RemoveEmptyEntries))
        {
            var clauseWords = new List<string>();
            foreach (var raw in KnowledgeWords.Split(SpaceSymbols(clause)).Take(MaxWords - read))
            {
                read++;
                if (TextingShorthand.Expansions.TryGetValue(raw, out var expanded))
                {
                    clauseWords.AddRange(expanded.Split(' '));
                    continue;
                }

                // Possessives and stray apostrophes: "owner's" is "owner".
                var word = raw.EndsWith("'s", StringComparison.Ordinal) ? raw[..^2] : raw.Replace("'", "", StringComparison.Ordinal);
                clauseWords.Add(spelling?.Correct(word) ?? word);
            }

            topic.AddRange(KnowledgeTopic.Topic(clauseWords));
            words.AddRange(clauseWords);
        }

        var terms = new List<string>();
        var concepts = new List<string[]>();
        foreach (var word in words.Where(w => !TextingShorthand.StopWords.Contains(w) && w.All(char.IsAsciiLetterOrDigit)).Distinct(StringComparer.Ordinal))
        {
            var meaning = TextingShorthand.Synonyms.TryGetValue(word, out var synonyms) ? synonyms.Append(word).Distinct().ToArray() : [word];
            terms.AddRange(meaning);
            concepts.Add(meaning.Select(Stem).Distinct(StringComparer.Ordinal).ToArray());
        }

        var normalized = string.Join(' ', words);
        return new NormalizedQuestion(normalized, terms.Distinct(StringComparer.Ordinal).ToList(), concepts, topic, KnowledgeTopic.AsksToBuyFromUs(normalized));
    }

    /// <summary>Where one clause of a text ends: a question's topic does not run on into the next.</summary>
    private static readonly char[] ClauseBreaks = ['.', '?', '!', ';', ',', '\n'];

    /// <summary>A rough English stem, enough for "repairs", "repairing" and "repaired" to meet "repair".</summary>
    public static string Stem(string word)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["ing", "ies", "es", "ed", "ly", "s"])
        {
            if (word.Length > suffix.Length + 2 && word.EndsWith(suffix, StringComparison.Ordinal))
            {
                return suffix == "ies" ? word[..^3] + "y" : word[..^suffix.Length];
            }
        }

        return word;
    }

    /// <summary>Symbols that stand for words ("&amp;", "$", "#") become those words before the text is split.</summary>
    private static string SpaceSymbols(string text) =>
        text.Replace("&", " and ", StringComparison.Ordinal).Replace("$", " money ", StringComparison.Ordinal).Replace("#", " number ", StringComparison.Ordinal);
}
