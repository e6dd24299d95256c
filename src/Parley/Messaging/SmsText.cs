using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Messaging;

/// <summary>Shapes generated text for SMS: plain GSM look-alikes instead of typographic characters, no
/// markdown, and a length cut that ends on a sentence or word.</summary>
public static partial class SmsText
{
    /// <summary>"Smart encoding": typographic quotes, dashes, ellipses, odd spaces and bullets become their
    /// GSM-7 look-alikes and markdown is reduced to plain text, so a model's reply stays GSM-7 (2–3× cheaper)
    /// unless it really needs more. Emoji and other scripts are left alone.</summary>
    public static string MakeGsmFriendly(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Repeat until stable so the result is idempotent ("***x***" needs two rounds). Every round after the
        // first only shortens the text or turns a '*' or '`' into another character, so this ends.
        var current = text;
        while (true)
        {
            var next = OneRound(current);
            if (next == current)
            {
                return next;
            }
            current = next;
        }
    }

    private static string OneRound(string text)
    {
        var s = ReplaceLookAlikes(text);
        s = CodeFence().Replace(s, "");
        s = InlineCode().Replace(s, "$1");
        s = s.Replace('`', '\'');
        s = Heading().Replace(s, "");
        s = StarBullet().Replace(s, "$1- ");
        s = Link().Replace(s, m => m.Groups[1].Value == m.Groups[2].Value
            ? m.Groups[2].Value
            : m.Groups[1].Value + " " + m.Groups[2].Value);
        s = StarEmphasis().Replace(s, "$2");
        s = UnderscoreEmphasis().Replace(s, "$2");
        s = SpaceRun().Replace(s, " ");
        s = SpaceAroundLineBreak().Replace(s, "\n");
        s = BlankLines().Replace(s, "\n\n");
        return s.Trim();
    }

    private static string ReplaceLookAlikes(string text)
    {
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' => "'",
                '\u201C' or '\u201D' or '\u201E' or '\u201F' => "\"",
                >= '\u2010' and <= '\u2015' or '\u2212' => "-",
                '\u2026' => "...",
                '\u2022' or '\u2023' or '\u2043' or '\u25E6' => "-",
                '\t' or '\u00A0' or >= '\u2000' and <= '\u200A' or '\u202F' or '\u205F' => " ",
                '\u200B' or '\u2060' or '\uFEFF' => "",
                // CRLF costs two septets for one line break.
                '\r' => i + 1 < text.Length && text[i + 1] == '\n' ? "" : "\n",
                '\n' => null,
                _ when char.IsControl(c) => "",
                _ => null,
            };
            if (replacement is null)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(text.Length).Append(text, 0, i);
            sb.Append(replacement);
        }
        return sb?.ToString() ?? text;
    }

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxChars"/> UTF-16 units: at the last
    /// sentence end if that keeps at least half the budget, else at the last word boundary, else (one word
    /// longer than the budget) at the last whole grapheme. Dangling commas, colons, dashes and the like are
    /// dropped; the result is always a prefix of the trimmed text.</summary>
    public static string TrimToLength(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxChars);

        var trimmed = text.Trim();
        if (trimmed.Length <= maxChars)
        {
            return trimmed;
        }

        var sentenceCut = LastSentenceCut(trimmed, maxChars);
        if (sentenceCut > 0 && sentenceCut >= maxChars / 2)
        {
            return WithoutDanglingEnd(trimmed, sentenceCut);
        }

        var wordCut = LastWordCut(trimmed, maxChars);
        return wordCut > 0
            ? WithoutDanglingEnd(trimmed, wordCut)
            : trimmed[..LastGraphemeCut(trimmed, maxChars)];
    }

    /// <summary>Length of the longest prefix (at most <paramref name="max"/>) that ends a sentence or a line.</summary>
    private static int LastSentenceCut(string text, int max)
    {
        var best = 0;
        for (var i = 0; i < max; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                best = i;
                continue;
            }
            if (c is not ('.' or '!' or '?' or '…') || IsListNumber(text, i))
            {
                continue;
            }
            var end = i + 1;
            while (end < text.Length && end <= max && text[end] is '"' or '\'' or ')' or ']' or '”' or '’' or '»')
            {
                end++;
            }
            if (end <= max && (end == text.Length || char.IsWhiteSpace(text[end])))
            {
                best = end;
            }
        }
        return best;
    }

    /// <summary>The '.' at <paramref name="dot"/> ends a "2." that numbers a line, not a sentence.</summary>
    private static bool IsListNumber(string text, int dot)
    {
        var start = dot;
        while (start > 0 && char.IsAsciiDigit(text[start - 1]))
        {
            start--;
        }
        return start < dot && text[dot] == '.' && (start == 0 || text[start - 1] == '\n');
    }

    private static int LastWordCut(string text, int max)
    {
        // text.Length > max, so text[max] exists: whitespace there means the first max characters end a word.
        for (var i = max; i > 0; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }
        return 0;
    }

    private static int LastGraphemeCut(string text, int max)
    {
        var end = 0;
        while (end < text.Length)
        {
            var next = end + StringInfo.GetNextTextElementLength(text, end);
            if (next > max)
            {
                break;
            }
            end = next;
        }
        if (end == 0 && max > 0)
        {
            // The first grapheme alone is too long (a ZWJ family emoji): keep whole code points instead.
            while (end < text.Length)
            {
                var next = end + (char.IsHighSurrogate(text[end]) && end + 1 < text.Length && char.IsLowSurrogate(text[end + 1]) ? 2 : 1);
                if (next > max)
                {
                    break;
                }
                end = next;
            }
        }
        return end;
    }

    private static string WithoutDanglingEnd(string text, int length)
    {
        var end = length;
        while (end > 0 && IsDangling(text, end))
        {
            end--;
        }
        if (end == 0)
        {
            end = length;
            while (end > 0 && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }
        }
        return text[..end];
    }

    private static bool IsDangling(string text, int end)
    {
        var c = text[end - 1];
        return char.IsWhiteSpace(c)
            || c is ',' or ';' or ':' or '-' or '–' or '—' or '(' or '[' or '{' or '<' or '/' or '\\'
                or '&' or '*' or '_' or '#' or '@' or '+' or '=' or '“' or '‘' or '«'
            // A straight quote after a word closes a quotation; standing alone it opens one.
            || (c is '"' or '\'' && (end == 1 || char.IsWhiteSpace(text[end - 2])));
    }

    [GeneratedRegex(@"^[ ]*```[^\n]*(\n|$)", RegexOptions.Multiline)]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^[ ]{0,3}#{1,6}[ ]+", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^([ ]*)[*+][ ]+", RegexOptions.Multiline)]
    private static partial Regex StarBullet();

    [GeneratedRegex(@"\[([^\[\]\n]+)\]\(([^()\s]+)\)")]
    private static partial Regex Link();

    // Delimiters must sit at word edges (after a space or an opening bracket/quote, before a space or
    // punctuation) so "2*3*4", snake__case and URLs are left alone.
    [GeneratedRegex(@"(?<![^\s(\[""'])(\*{1,3})(?=[^\s*])(.+?)(?<=[^\s*])\1(?![^\s.,;:!?)\]""'-])")]
    private static partial Regex StarEmphasis();

    [GeneratedRegex(@"(?<![^\s(\[""'])(_{2,3})(?=[^\s_])(.+?)(?<=[^\s_])\1(?![^\s.,;:!?)\]""'-])")]
    private static partial Regex UnderscoreEmphasis();

    [GeneratedRegex(@"[ ]{2,}")]
    private static partial Regex SpaceRun();

    [GeneratedRegex(@"[ ]*\n[ ]*")]
    private static partial Regex SpaceAroundLineBreak();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
