using System.Globalization;
using System.Text;

namespace Parley.Knowledge;

/// <summary>Splits text into the words retrieval works with: lower case, accents removed, apostrophes kept
/// inside a word ("don't"), everything else a separator.</summary>
internal static class KnowledgeWords
{
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var folded = text.Normalize(NormalizationForm.FormD);
        for (var i = 0; i < folded.Length; i++)
        {
            var c = folded[i];
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (c is '\'' or '\u2019' && word.Length > 0 && i + 1 < folded.Length && char.IsLetter(folded[i + 1]))
            {
                word.Append('\'');
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
