using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Parley.Messaging;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class SmsSegmentsTests
{
    // Written out again here, from the reference, so the tests do not trust the production table.
    private const string TelnyxGsmBasic =
        "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\r !\"#$%&'()*+,-./:;<=>?@_" +
        "£¥èéùìòØøÅåÆæßÉ¡ÄÖÑÜ¿äöñüà";
    private const string TelnyxGsmExtension = "^{}\\[]~|";

    private const string Emoji = "\U0001F600"; // 😀, one surrogate pair
    private const string Flag = "\U0001F1FA\U0001F1F8"; // 🇺🇸, two pairs
    private const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"; // 👨‍👩‍👧, 8 units

    private static string A(int count) => new('a', count);
    private static string Zhe(int count) => new('Ж', count);

    [Theory]
    [InlineData(1, 1, 159)]
    [InlineData(160, 1, 0)]
    [InlineData(161, 2, 145)]
    [InlineData(306, 2, 0)]
    [InlineData(307, 3, 152)]
    [InlineData(1530, 10, 0)]
    [InlineData(1531, 11, 152)]
    public void Gsm_text_fills_160_septets_then_parts_of_153(int length, int segments, int left)
    {
        var shape = SmsSegments.Measure(A(length));

        Assert.Equal(new SmsShape(SmsEncoding.Gsm7, segments, length, left), shape);
    }

    [Theory]
    [InlineData(1, 1, 69)]
    [InlineData(70, 1, 0)]
    [InlineData(71, 2, 63)]
    [InlineData(134, 2, 0)]
    [InlineData(135, 3, 66)]
    [InlineData(670, 10, 0)]
    [InlineData(671, 11, 66)]
    public void Ucs2_text_fills_70_units_then_parts_of_67(int length, int segments, int left)
    {
        var shape = SmsSegments.Measure(Zhe(length));

        Assert.Equal(new SmsShape(SmsEncoding.Ucs2, segments, length, left), shape);
    }

    [Fact]
    public void Empty_text_is_gsm7_with_no_segments()
    {
        Assert.Equal(new SmsShape(SmsEncoding.Gsm7, 0, 0, 160), SmsSegments.Measure(""));
    }

    public static TheoryData<char> TelnyxGsmCharacters() => new(TelnyxGsmBasic);

    [Theory]
    [MemberData(nameof(TelnyxGsmCharacters))]
    public void Every_character_of_the_telnyx_set_stays_gsm7_at_one_septet(char c)
    {
        Assert.Equal(new SmsShape(SmsEncoding.Gsm7, 1, 1, 159), SmsSegments.Measure(c.ToString()));
    }

    [Theory]
    [InlineData('^')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('\\')]
    [InlineData('[')]
    [InlineData(']')]
    [InlineData('~')]
    [InlineData('|')]
    public void An_extension_character_stays_gsm7_but_costs_two_septets(char c)
    {
        Assert.Equal(new SmsShape(SmsEncoding.Gsm7, 1, 2, 158), SmsSegments.Measure(c.ToString()));
    }

    [Theory]
    [InlineData("€")] // GSM extension in 3GPP, but not in Telnyx's set
    [InlineData("Δ")]
    [InlineData("Φ")]
    [InlineData("Γ")]
    [InlineData("Λ")]
    [InlineData("Ω")]
    [InlineData("Π")]
    [InlineData("Ψ")]
    [InlineData("Σ")]
    [InlineData("Θ")]
    [InlineData("Ξ")]
    [InlineData("Ç")]
    [InlineData("ç")]
    [InlineData("¤")]
    [InlineData("§")]
    [InlineData("\f")]
    [InlineData("`")]
    [InlineData("\t")]
    [InlineData("\u2018")] // ‘
    [InlineData("\u201C")] // “
    [InlineData("\u201D")] // ”
    [InlineData("\u2013")] // –
    [InlineData("\u2014")] // —
    [InlineData("\u2026")] // …
    [InlineData("\u00A0")] // no-break space
    [InlineData("ê")]
    [InlineData("中")]
    [InlineData(Emoji)]
    public void A_character_outside_the_telnyx_set_turns_the_message_into_ucs2(string character)
    {
        var shape = SmsSegments.Measure("Hello " + character);

        Assert.Equal(SmsEncoding.Ucs2, shape.Encoding);
        Assert.Equal(6 + character.Length, shape.Units);
    }

    [Fact]
    public void A_curly_apostrophe_turns_the_message_into_ucs2()
    {
        Assert.Equal(SmsEncoding.Gsm7, SmsSegments.Measure("It's on").Encoding);
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Measure("It\u2019s on").Encoding);
    }

    [Fact]
    public void A_150_character_message_with_one_curly_apostrophe_goes_from_1_segment_to_3()
    {
        Assert.Equal(new SmsShape(SmsEncoding.Gsm7, 1, 150, 10), SmsSegments.Measure(A(149) + "'"));
        Assert.Equal(new SmsShape(SmsEncoding.Ucs2, 3, 150, 51), SmsSegments.Measure(A(149) + "\u2019"));
    }

    [Theory]
    [InlineData(152, 152, 3)] // '[' would take septets 153 and 154: it moves, part one carries 152
    [InlineData(151, 153, 2)] // '[' takes septets 152 and 153: fits
    public void An_escape_pair_never_straddles_a_part_boundary(int before, int after, int segments)
    {
        var shape = SmsSegments.Measure(A(before) + "[" + A(after));

        Assert.Equal(SmsEncoding.Gsm7, shape.Encoding);
        Assert.Equal(306, shape.Units);
        Assert.Equal(segments, shape.Segments);
    }

    [Theory]
    [InlineData(66, 66, 3)] // the emoji would start at unit 67: it moves whole, part one carries 66
    [InlineData(65, 67, 2)] // the emoji takes units 66 and 67: fits
    public void A_surrogate_pair_never_straddles_a_part_boundary(int before, int after, int segments)
    {
        var shape = SmsSegments.Measure(Zhe(before) + Emoji + Zhe(after));

        Assert.Equal(new SmsShape(SmsEncoding.Ucs2, segments, 134, segments == 3 ? 66 : 0), shape);
    }

    [Fact]
    public void A_zwj_emoji_may_split_between_parts_at_a_code_point()
    {
        // 65 + 👨 fills part one; ZWJ 👩 ZWJ 👧 (6 units) + 60 fill part two. Kept whole it would need three.
        var shape = SmsSegments.Measure(Zhe(65) + Family + Zhe(60));

        Assert.Equal(new SmsShape(SmsEncoding.Ucs2, 2, 133, 1), shape);
    }

    [Fact]
    public void A_flag_costs_four_units()
    {
        Assert.Equal(new SmsShape(SmsEncoding.Ucs2, 1, 4, 66), SmsSegments.Measure(Flag));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \r\n ")]
    public void Empty_or_blank_text_is_refused(string? text)
    {
        Assert.False(SmsSegments.TryValidateForSending(text, out var shape, out var error));
        Assert.Equal("The message text is empty.", error);
        Assert.NotNull(shape);
    }

    [Theory]
    [InlineData("Hi\0there", "U+0000")]
    [InlineData("Hi\tthere", "U+0009")]
    [InlineData("Hi\u001Bthere", "U+001B")]
    [InlineData("Hi\u007Fthere", "U+007F")]
    [InlineData("Hi\u0085there", "U+0085")]
    public void Control_characters_other_than_line_breaks_are_refused(string text, string code)
    {
        Assert.False(SmsSegments.TryValidateForSending(text, out _, out var error));
        Assert.Equal($"The message text contains the control character {code} at position 3; only line breaks are allowed.", error);
    }

    // Attribute strings cannot carry a lone surrogate, so the text is built here.
    [Theory]
    [InlineData("Hi ", 0xD83D, " there")]
    [InlineData("Hi ", 0xDE00, " there")]
    [InlineData("Hi ", 0xD83D, "")]
    [InlineData("", 0xDE00, "Hi")]
    public void An_unpaired_surrogate_is_refused(string before, int surrogate, string after)
    {
        var text = before + (char)surrogate + after;

        Assert.False(SmsSegments.TryValidateForSending(text, out _, out var error));
        Assert.StartsWith("The message text contains a broken character (unpaired UTF-16 surrogate", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Line one\nLine two\r\nLine three")]
    [InlineData("Hi " + Emoji + " " + Family + " " + Flag)]
    public void Line_breaks_and_emoji_are_sendable(string text)
    {
        Assert.True(SmsSegments.TryValidateForSending(text, out var shape, out var error));
        Assert.Null(error);
        Assert.Equal(SmsSegments.Measure(text), shape);
    }

    [Fact]
    public void Ten_full_gsm_parts_are_sendable()
    {
        Assert.True(SmsSegments.TryValidateForSending(A(1530), out var shape, out var error));
        Assert.Null(error);
        Assert.Equal(10, shape.Segments);
    }

    [Fact]
    public void Ten_full_ucs2_parts_are_sendable()
    {
        Assert.True(SmsSegments.TryValidateForSending(Zhe(670), out var shape, out _));
        Assert.Equal(10, shape.Segments);
    }

    [Fact]
    public void Eleven_gsm_parts_are_refused_with_the_count_and_the_limit()
    {
        Assert.False(SmsSegments.TryValidateForSending(A(1531), out var shape, out var error));
        Assert.Equal(11, shape.Segments);
        Assert.Equal(
            "The message is 11 segments long as GSM-7 (1,531 characters); carriers accept at most 10 segments " +
            "(1,530 GSM-7 characters or 670 UCS-2 characters). Shorten it.",
            error);
    }

    [Fact]
    public void Extension_characters_are_counted_twice_in_the_refusal()
    {
        Assert.False(SmsSegments.TryValidateForSending(A(1520) + "{}[]~|", out _, out var error));
        Assert.Equal(
            "The message is 11 segments long as GSM-7 (1,532 characters, counting each ^ { } \\ [ ] ~ | as two); " +
            "carriers accept at most 10 segments (1,530 GSM-7 characters or 670 UCS-2 characters). Shorten it.",
            error);
    }

    [Fact]
    public void A_ucs2_refusal_names_the_character_that_forced_ucs2()
    {
        Assert.False(SmsSegments.TryValidateForSending(A(700) + "\u2019" + A(100), out var shape, out var error));
        Assert.Equal(new SmsShape(SmsEncoding.Ucs2, 12, 801, 3), shape);
        Assert.Equal(
            "The message is 12 segments long as UCS-2 (801 characters) because it contains \u2019 (U+2019), which is " +
            "outside the GSM-7 set; carriers accept at most 10 segments (1,530 GSM-7 characters or 670 UCS-2 characters). Shorten it.",
            error);
    }

    [Fact]
    public void A_ucs2_refusal_names_an_emoji_by_its_code_point()
    {
        Assert.False(SmsSegments.TryValidateForSending(A(700) + Emoji, out _, out var error));
        Assert.Contains($"because it contains {Emoji} (U+1F600)", error, StringComparison.Ordinal);
    }

    // ---- Properties -------------------------------------------------------------------------------

    private static readonly Gen<string> GsmToken = Gen.Frequency(
        (8, Gen.Elements(TelnyxGsmBasic.Select(c => c.ToString()).ToArray())),
        (2, Gen.Elements(TelnyxGsmExtension.Select(c => c.ToString()).ToArray())));

    private static readonly Gen<string> OtherToken = Gen.Elements(
        "€", "\u2019", "Ж", "中", "\u00A0", "`", Emoji, Flag, Family, "\U0001F44D\U0001F3FD", "\uD83D", "\uDE00");

    private static Gen<string> TextOf(Gen<string> token, int maxTokens) =>
        Gen.Choose(0, maxTokens).SelectMany(n => Gen.ArrayOf(token, n)).Select(string.Concat);

    private static readonly Gen<string> GsmText = TextOf(GsmToken, 1700);

    // Half the texts stay GSM-7; the rest mix in characters that force UCS-2, often close to part boundaries.
    private static readonly Gen<string> AnyText = Gen.OneOf(
        GsmText,
        TextOf(Gen.Frequency((6, GsmToken), (4, OtherToken)), 900),
        TextOf(Gen.Frequency((1, GsmToken), (9, OtherToken)), 500));

    /// <summary>Slow and obvious: list every atom's cost, then fill parts greedily.</summary>
    private static (SmsEncoding Encoding, int Segments, int Units) ReferenceSplit(string text)
    {
        var isGsm = text.All(c => TelnyxGsmBasic.Contains(c) || TelnyxGsmExtension.Contains(c));
        var atoms = isGsm
            ? text.Select(c => TelnyxGsmExtension.Contains(c) ? 2 : 1).ToList()
            : text.EnumerateRunes().Select(r => r.Utf16SequenceLength).ToList(); // a lone surrogate is one unit
        var (single, part) = isGsm ? (160, 153) : (70, 67);
        var encoding = isGsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;
        var units = atoms.Sum();
        if (units == 0)
        {
            return (encoding, 0, 0);
        }
        if (units <= single)
        {
            return (encoding, 1, units);
        }

        var parts = new List<List<int>> { new() };
        foreach (var atom in atoms)
        {
            if (parts[^1].Sum() + atom > part)
            {
                parts.Add([]);
            }
            parts[^1].Add(atom);
        }
        return (encoding, parts.Count, units);
    }

    [Fact]
    public void Measure_agrees_with_a_simple_reference_splitter()
    {
        var property = Prop.ForAll(AnyText.ToArbitrary(), text =>
        {
            var shape = SmsSegments.Measure(text);
            return (shape.Encoding, shape.Segments, shape.Units) == ReferenceSplit(text);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), property);
    }

    [Fact]
    public void Gsm_segments_follow_from_the_septet_count()
    {
        Prop.ForAll(GsmText.ToArbitrary(), text =>
        {
            var shape = SmsSegments.Measure(text);
            var s = shape.Segments;
            if (text.Length == 0)
            {
                return s == 0;
            }
            if (shape.Units <= 160)
            {
                return s == 1 && shape.UnitsLeftInLastSegment == 160 - shape.Units;
            }
            // Every part but the last carries 152 or 153 septets; the last carries at least one.
            return s >= 2
                && shape.Units <= s * 153
                && shape.Units >= (s - 1) * 152 + 1
                && shape.UnitsLeftInLastSegment is >= 0 and <= 152;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Adding_a_character_never_lowers_the_segment_count()
    {
        var cases =
            from text in AnyText
            from token in Gen.OneOf(GsmToken, OtherToken)
            from at in Gen.Choose(0, 1_000_000)
            select (text, token, at);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var index = c.at % (c.text.Length + 1);
            if (index > 0 && index < c.text.Length && char.IsLowSurrogate(c.text[index]) && char.IsHighSurrogate(c.text[index - 1]))
            {
                index--; // add next to the pair, not inside it
            }
            var longer = c.text.Insert(index, c.token);
            return SmsSegments.Measure(longer).Segments >= SmsSegments.Measure(c.text).Segments;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Measure_allocates_only_the_result()
    {
        var text = string.Concat(Enumerable.Repeat("Your table for 4 is booked at 7:30pm. Reply C to cancel. ", 12));
        SmsSegments.Measure(text);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            SmsSegments.Measure(text);
        }
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        Assert.True(perCall <= 48, $"Measure allocated {perCall} bytes per call");
    }
}
