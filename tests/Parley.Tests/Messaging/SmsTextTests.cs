using FsCheck;
using FsCheck.Fluent;
using Parley.Messaging;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class SmsTextTests
{
    private const string Emoji = "\U0001F600"; // 😀
    private const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"; // 👨‍👩‍👧

    [Theory]
    [InlineData("It\u2019s here", "It's here")]
    [InlineData("\u2018quoted\u2019", "'quoted'")]
    [InlineData("\u201CHi\u201D", "\"Hi\"")]
    [InlineData("\u201Elow\u201C", "\"low\"")]
    [InlineData("Open 9\u20135", "Open 9-5")]
    [InlineData("Yes \u2014 today", "Yes - today")]
    [InlineData("Yes\u2014today", "Yes-today")]
    [InlineData("Wait\u2026", "Wait...")]
    [InlineData("10\u00A0am", "10 am")]
    [InlineData("10\u202Fam", "10 am")]
    [InlineData("10\u2009am", "10 am")]
    [InlineData("a\tb", "a b")]
    [InlineData("in\u200Bvisible", "invisible")]
    [InlineData("\u2022 one\n\u2022 two", "- one\n- two")]
    [InlineData("It`s", "It's")]
    [InlineData("Line one\r\nLine two", "Line one\nLine two")]
    public void Typographic_characters_become_their_gsm_look_alikes(string text, string expected)
    {
        Assert.Equal(expected, SmsText.MakeGsmFriendly(text));
    }

    [Theory]
    [InlineData("It's **really** good", "It's really good")]
    [InlineData("It's __really__ good", "It's really good")]
    [InlineData("It's *really* good", "It's really good")]
    [InlineData("***Both***, at once", "Both, at once")]
    [InlineData("**Note:** bring *your* ID.", "Note: bring your ID.")]
    [InlineData("Run `npm start` now", "Run npm start now")]
    [InlineData("```\ncode here\n```\nDone", "code here\nDone")]
    [InlineData("# Our hours\nMon-Fri", "Our hours\nMon-Fri")]
    [InlineData("### Pricing", "Pricing")]
    [InlineData("- one\n- two", "- one\n- two")]
    [InlineData("* one\n* two", "- one\n- two")]
    [InlineData("See [our site](https://example.com/book) to book", "See our site https://example.com/book to book")]
    [InlineData("[https://example.com](https://example.com)", "https://example.com")]
    [InlineData("Hello    there  you", "Hello there you")]
    [InlineData("  Hello \n  there  ", "Hello\nthere")]
    [InlineData("One\n\n\n\nTwo", "One\n\nTwo")]
    public void Markdown_is_reduced_to_plain_text(string text, string expected)
    {
        Assert.Equal(expected, SmsText.MakeGsmFriendly(text));
    }

    [Theory]
    [InlineData("2*3*4 = 24")]
    [InlineData("5 * 3 * 2 = 30")]
    [InlineData("Use snake__case__names")]
    [InlineData("https://example.com/__init__/x")]
    [InlineData("#hashtag and C#")]
    [InlineData("Price: $5 + tax")]
    public void Plain_text_that_only_looks_like_markdown_is_kept(string text)
    {
        Assert.Equal(text, SmsText.MakeGsmFriendly(text));
    }

    [Theory]
    [InlineData("谢谢！我们明天见。")]
    [InlineData("Привет, как дела?")]
    [InlineData("مرحبا بك")]
    [InlineData("Thanks! " + Emoji)]
    [InlineData("\u2764\uFE0F " + Family + " \U0001F1FA\U0001F1F8")]
    [InlineData("Café crème à 5 €")]
    public void Emoji_and_other_scripts_are_left_alone(string text)
    {
        Assert.Equal(text, SmsText.MakeGsmFriendly(text));
    }

    [Fact]
    public void Only_the_look_alikes_change_in_a_chinese_message()
    {
        Assert.Equal("谢谢，明天见...", SmsText.MakeGsmFriendly("谢谢，明天见\u2026"));
    }

    [Fact]
    public void A_typical_model_reply_comes_back_to_one_gsm_segment()
    {
        const string reply = "Great \u2014 I\u2019ve booked you for **Tuesday** at 3\u00A0pm\u2026 See you then!";

        var friendly = SmsText.MakeGsmFriendly(reply);

        Assert.Equal("Great - I've booked you for Tuesday at 3 pm... See you then!", friendly);
        Assert.Equal(SmsEncoding.Ucs2, SmsSegments.Measure(reply).Encoding);
        Assert.Equal(new SmsShape(SmsEncoding.Gsm7, 1, 60, 100), SmsSegments.Measure(friendly));
    }

    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("  padded  ", 6, "padded")]
    [InlineData("exactly ten", 11, "exactly ten")]
    [InlineData("Hello there. How are you today?", 20, "Hello there.")]
    [InlineData("Hello there friend, how are you", 20, "Hello there friend")]
    [InlineData("Hi. This is a much longer sentence that goes on", 30, "Hi. This is a much longer")]
    [InlineData("We offer: a, b and c", 9, "We offer")]
    [InlineData("Call us (9-5) today", 13, "Call us (9-5)")]
    [InlineData("He said \"stop\" and left", 14, "He said \"stop\"")]
    [InlineData("She said \"Done.\" Then she left the room", 20, "She said \"Done.\"")]
    [InlineData("Really? Yes! Absolutely sure", 14, "Really? Yes!")]
    [InlineData("Your options:\n1. Cut\n2. Color and style", 25, "Your options:\n1. Cut")]
    [InlineData("Supercalifragilistic", 5, "Super")]
    [InlineData("Anything", 0, "")]
    public void A_reply_is_cut_at_a_sentence_or_word_boundary(string text, int max, string expected)
    {
        Assert.Equal(expected, SmsText.TrimToLength(text, max));
    }

    [Theory]
    [InlineData(Emoji + Emoji + Emoji, 3, Emoji)]
    [InlineData("e\u0301e\u0301e\u0301", 3, "e\u0301")]
    [InlineData(Family + "!", 5, "\U0001F468\u200D\U0001F469")]
    public void A_word_longer_than_the_limit_is_cut_between_whole_characters(string text, int max, string expected)
    {
        Assert.Equal(expected, SmsText.TrimToLength(text, max));
    }

    [Fact]
    public void A_negative_limit_is_a_programming_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmsText.TrimToLength("text", -1));
    }

    // ---- Properties -------------------------------------------------------------------------------

    private static readonly string[] LookAlikes =
        ["\u2018", "\u2019", "\u201C", "\u201D", "\u2013", "\u2014", "\u2026", "\u00A0", "\u2022"];

    private static Gen<string> TextOf(Gen<string> token, int maxTokens) =>
        Gen.Choose(0, maxTokens).SelectMany(n => Gen.ArrayOf(token, n)).Select(string.Concat);

    [Fact]
    public void Ascii_with_typographic_punctuation_always_comes_out_gsm7()
    {
        var ascii = Gen.Choose(0, 127).Select(i => ((char)i).ToString());
        var text = TextOf(Gen.Frequency((8, ascii), (2, Gen.Elements(LookAlikes))), 300);

        Prop.ForAll(text.ToArbitrary(), s => SmsSegments.Measure(SmsText.MakeGsmFriendly(s)).Encoding == SmsEncoding.Gsm7)
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Making_text_gsm_friendly_twice_changes_nothing_more()
    {
        var markdown = Gen.Elements(
            "**", "__", "*", "_", "`", "```", "# ", "## ", "- ", "* ", "[", "](", ")", "https://x.io/a_b", "\n", "\r\n",
            "\r", "  ", " ", "\t", ".", ",", ":", "'", "\"", "x", "word", "2", "中文", Emoji, Family, "\u200D", "\0");
        var text = TextOf(Gen.Frequency((7, markdown), (2, Gen.Elements(LookAlikes))), 60);

        Prop.ForAll(text.ToArbitrary(), s =>
        {
            var once = SmsText.MakeGsmFriendly(s);
            return SmsText.MakeGsmFriendly(once) == once;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void A_trimmed_reply_fits_and_is_a_prefix_of_the_text()
    {
        var token = Gen.Elements(
            "word", "a", "longerword", " ", " ", " ", "\n", ".", ",", ";", "!", "?", "-", "\"", "'", "(", ")", ": ",
            "1. ", Emoji, Family, "e\u0301", "中文");
        var cases =
            from text in TextOf(token, 80)
            from max in Gen.Choose(0, 120)
            select (text, max);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var trimmed = c.text.Trim();
            var result = SmsText.TrimToLength(c.text, c.max);
            var wordBoundaryAvailable = trimmed.Length > c.max && trimmed.AsSpan(1, c.max).IndexOfAny([' ', '\n']) >= 0;

            return result.Length <= c.max
                && trimmed.StartsWith(result, StringComparison.Ordinal)
                && result == result.Trim()
                && (trimmed.Length > c.max || result == trimmed)
                && (result.Length == 0 || !char.IsHighSurrogate(result[^1]))
                && (!wordBoundaryAvailable || !char.IsLetterOrDigit(trimmed[result.Length]));
        }).QuickCheckThrowOnFailure();
    }
}
