using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Knowledge.Import;

/// <summary>
/// Turns sections into passages of bounded size: a section that fits is one passage; a longer one is cut at
/// paragraph boundaries, a paragraph too long at sentence boundaries, a sentence too long between words.
/// Every part keeps its section's heading, and its title says which part it is.
/// </summary>
internal static partial class PassageSplitter
{
    public static IReadOnlyList<ImportedPassage> Split(string documentTitle, IEnumerable<DocumentSection> sections, KnowledgeLimits limits)
    {
        var passages = new List<ImportedPassage>();
        foreach (var section in sections)
        {
            var parts = Pack(section.Paragraphs, limits.MaxPassageChars);
            var title = section.Heading ?? documentTitle;
            for (var i = 0; i < parts.Count; i++)
            {
                passages.Add(new ImportedPassage(parts.Count == 1 ? title : $"{title} ({i + 1}/{parts.Count})", section.Heading, parts[i]));
                if (passages.Count > limits.MaxPassagesPerSource)
                {
                    throw new KnowledgeImportException(
                        $"This document makes more than {limits.MaxPassagesPerSource} passages; split it into smaller files (the limit is the setting Parley__Knowledge__MaxPassagesPerSource).",
                        KnowledgeImportFailure.TooLarge);
                }
            }
        }

        return passages;
    }

    private static List<string> Pack(IEnumerable<string> paragraphs, int max)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        foreach (var piece in paragraphs.SelectMany(p => Pieces(p, max)))
        {
            var separator = current.Length == 0 ? "" : piece.StartsParagraph ? "\n\n" : " ";
            if (current.Length > 0 && current.Length + separator.Length + piece.Text.Length > max)
            {
                parts.Add(current.ToString());
                current.Clear();
                separator = "";
            }

            current.Append(separator).Append(piece.Text);
        }

        if (current.Length > 0)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }

    private readonly record struct Piece(string Text, bool StartsParagraph);

    /// <summary>A paragraph that fits is one piece; otherwise its sentences (or, for a run-on sentence, its words
    /// in chunks) are, the first of them marked as starting the paragraph.</summary>
    private static IEnumerable<Piece> Pieces(string paragraph, int max)
    {
        if (paragraph.Length <= max)
        {
            yield return new Piece(paragraph, true);
            yield break;
        }

        var first = true;
        foreach (var sentence in SentenceEnd().Split(paragraph).Where(s => s.Length > 0))
        {
            foreach (var chunk in sentence.Length <= max ? [sentence] : Words(sentence, max))
            {
                yield return new Piece(chunk, first);
                first = false;
            }
        }
    }

    private static IEnumerable<string> Words(string sentence, int max)
    {
        var chunk = new StringBuilder();
        foreach (var word in sentence.Split(' '))
        {
            for (var rest = word; rest.Length > 0;)
            {
                var room = max - chunk.Length - (chunk.Length > 0 ? 1 : 0);
                if (rest.Length <= room)
                {
                    chunk.Append(chunk.Length > 0 ? " " : "").Append(rest);
                    rest = "";
                }
                else if (chunk.Length > 0)
                {
                    yield return chunk.ToString();
                    chunk.Clear();
                }
                else
                {
                    yield return rest[..max]; // one "word" longer than a passage (a long URL or token run)
                    rest = rest[max..];
                }
            }
        }

        if (chunk.Length > 0)
        {
            yield return chunk.ToString();
        }
    }

    // After . ! ? … (and any closing quote or bracket) followed by space; "e.g. this" splits too, which only moves a cut.
    [GeneratedRegex(@"(?<=[.!?…。！？][""'”’)\]]?)\s+")]
    private static partial Regex SentenceEnd();
}
