using System.Globalization;
using System.Text;

namespace Parley.Messaging;

/// <param name="Units">GSM-7 septets (extension characters count two) or UTF-16 code units.</param>
/// <param name="UnitsLeftInLastSegment">Room before another segment is needed (160/70 while the text fits in one).</param>
public sealed record SmsShape(SmsEncoding Encoding, int Segments, int Units, int UnitsLeftInLastSegment);

/// <summary>Encoding and segment count of a text as Telnyx will send it; the carrier's returned
/// <c>parts</c> stays the billing truth.</summary>
public static class SmsSegments
{
    /// <summary>Telnyx refuses longer messages.</summary>
    public const int MaxParts = 10;

    public const int GsmSingleSegmentSeptets = 160;
    public const int GsmPartSeptets = 153;
    public const int Ucs2SingleSegmentUnits = 70;
    public const int Ucs2PartUnits = 67;

    private const string ExtensionCharacters = "^{}\\[]~|";

    // Telnyx's set, narrower than 3GPP TS 23.038: no Greek capitals, Ç, ¤, §, € or form feed, and (as
    // in 3GPP) no backtick. Every member is below U+0100, so a 256-entry table answers "cost in septets".
    private const string BasicCharacters =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\r " +
        "!\"#$%&'()*+,-./:;<=>?@_" +
        "£¥èéùìòØøÅåÆæßÉ¡ÄÖÑÜ¿äöñüà";

    private static readonly byte[] GsmSeptets = BuildGsmSeptets();

    private static readonly SmsShape Empty = new(SmsEncoding.Gsm7, 0, 0, GsmSingleSegmentSeptets);

    private static byte[] BuildGsmSeptets()
    {
        var table = new byte[256];
        foreach (var c in BasicCharacters)
        {
            table[c] = 1;
        }
        foreach (var c in ExtensionCharacters)
        {
            table[c] = 2;
        }
        return table;
    }

    /// <summary>Septets <paramref name="c"/> costs in Telnyx's GSM-7 set, or 0 when it is not in the set.</summary>
    internal static int GsmSeptetsOf(char c) => c < 256 ? GsmSeptets[c] : 0;

    public static SmsShape Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return Empty;
        }

        // One pass packs GSM parts as it goes; the first character outside the set switches to UCS-2.
        var septets = 0;
        var parts = 1;
        var used = 0;
        foreach (var c in text)
        {
            var cost = GsmSeptetsOf(c);
            if (cost == 0)
            {
                return MeasureUcs2(text);
            }
            septets += cost;
            if (used + cost > GsmPartSeptets)
            {
                parts++;
                used = 0;
            }
            used += cost;
        }

        return septets <= GsmSingleSegmentSeptets
            ? new SmsShape(SmsEncoding.Gsm7, 1, septets, GsmSingleSegmentSeptets - septets)
            : new SmsShape(SmsEncoding.Gsm7, parts, septets, GsmPartSeptets - used);
    }

    private static SmsShape MeasureUcs2(string text)
    {
        if (text.Length <= Ucs2SingleSegmentUnits)
        {
            return new SmsShape(SmsEncoding.Ucs2, 1, text.Length, Ucs2SingleSegmentUnits - text.Length);
        }

        var parts = 1;
        var used = 0;
        for (var i = 0; i < text.Length; i++)
        {
            // Only a surrogate pair must stay whole; grapheme clusters (ZWJ emoji, flags) may split.
            var cost = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            if (used + cost > Ucs2PartUnits)
            {
                parts++;
                used = 0;
            }
            used += cost;
            i += cost - 1;
        }
        return new SmsShape(SmsEncoding.Ucs2, parts, text.Length, Ucs2PartUnits - used);
    }

    public static bool TryValidateForSending(string? text, out SmsShape shape, out string? error)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            shape = text is null ? Empty : Measure(text);
            error = "The message text is empty.";
            return false;
        }

        shape = Measure(text);
        error = FindUnsendableCharacter(text) ?? DescribeTooLong(text, shape);
        return error is null;
    }

    private static string? FindUnsendableCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\n' or '\r'))
            {
                return string.Create(CultureInfo.InvariantCulture,
                    $"The message text contains the control character U+{(int)c:X4} at position {i + 1}; only line breaks are allowed.");
            }
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }
                return string.Create(CultureInfo.InvariantCulture,
                    $"The message text contains a broken character (unpaired UTF-16 surrogate U+{(int)c:X4}) at position {i + 1}.");
            }
        }
        return null;
    }

    private static string? DescribeTooLong(string text, SmsShape shape)
    {
        if (shape.Segments <= MaxParts)
        {
            return null;
        }

        var limits = string.Create(CultureInfo.InvariantCulture,
            $"carriers accept at most {MaxParts} segments ({MaxParts * GsmPartSeptets:N0} GSM-7 characters or {MaxParts * Ucs2PartUnits:N0} UCS-2 characters). Shorten it.");
        if (shape.Encoding == SmsEncoding.Gsm7)
        {
            var counting = shape.Units == text.Length ? "" : ", counting each ^ { } \\ [ ] ~ | as two";
            return string.Create(CultureInfo.InvariantCulture,
                $"The message is {shape.Segments} segments long as GSM-7 ({shape.Units:N0} characters{counting}); {limits}");
        }

        var culprit = FirstNonGsmRune(text);
        return string.Create(CultureInfo.InvariantCulture,
            $"The message is {shape.Segments} segments long as UCS-2 ({shape.Units:N0} characters) because it contains {culprit} (U+{culprit.Value:X4}), which is outside the GSM-7 set; {limits}");
    }

    private static Rune FirstNonGsmRune(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!rune.IsBmp || GsmSeptetsOf((char)rune.Value) == 0)
            {
                return rune;
            }
        }
        return Rune.ReplacementChar;
    }
}
