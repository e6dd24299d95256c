using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Parley.Messaging;
using Xunit;

namespace Parley.Tests.Messaging;

public sealed class PhoneNumberParserTests
{
    private static readonly PhoneNumberParser Parser = PhoneNumberParser.Default;

    [Theory]
    [InlineData("4165551234", "US", "+14165551234")]
    [InlineData("(416) 555-1234", "US", "+14165551234")]
    [InlineData("1-416-555-1234", "US", "+14165551234")]
    [InlineData("416.555.1234", "US", "+14165551234")]
    [InlineData("416 555 1234", "CA", "+14165551234")]
    [InlineData("212-555-0123", "US", "+12125550123")]
    [InlineData("020 7123 4567", "GB", "+442071234567")]
    [InlineData("07400 123456", "GB", "+447400123456")]
    [InlineData("01512 3456789", "DE", "+4915123456789")]
    [InlineData("030 1234567", "DE", "+49301234567")]
    [InlineData("06 12 34 56 78", "FR", "+33612345678")]
    [InlineData("0412 345 678", "AU", "+61412345678")]
    [InlineData("(02) 9876 5432", "AU", "+61298765432")]
    [InlineData("081234 56789", "IN", "+918123456789")]
    [InlineData("81234 56789", "IN", "+918123456789")]
    [InlineData("(11) 96123-4567", "BR", "+5511961234567")]
    [InlineData("0 11 96123-4567", "BR", "+5511961234567")]
    [InlineData("312 345 6789", "IT", "+393123456789")]
    [InlineData("06 1234 5678", "IT", "+390612345678")]
    public void National_formats_normalise_with_the_default_country(string input, string region, string expected)
    {
        Assert.Equal(expected, Parser.Normalize(input, region).Value);
    }

    [Theory]
    [InlineData("+1 416 555 1234", "US", "+14165551234")]
    [InlineData("+1 (416) 555-1234", "GB", "+14165551234")]
    [InlineData("+44 20 7123 4567", "US", "+442071234567")]
    [InlineData("+44 (0)20 7123 4567", "US", "+442071234567")]
    [InlineData("+49 1512 3456789", "US", "+4915123456789")]
    [InlineData("+33 6 12 34 56 78", "US", "+33612345678")]
    [InlineData("+61 412 345 678", "US", "+61412345678")]
    [InlineData("+91 81234 56789", "US", "+918123456789")]
    [InlineData("+55 11 96123-4567", "US", "+5511961234567")]
    [InlineData("+39 06 1234 5678", "US", "+390612345678")]
    [InlineData("tel:+1-416-555-1234", "US", "+14165551234")]
    [InlineData("  +14165551234  ", "US", "+14165551234")]
    [InlineData("(+44) 20 7123 4567", "US", "+442071234567")]
    [InlineData("+800 1234 5678", "US", "+80012345678")]
    public void International_formats_normalise_whatever_the_default_country(string input, string region, string expected)
    {
        Assert.Equal(expected, Parser.Normalize(input, region).Value);
    }

    [Theory]
    [InlineData("+14165551234")]
    [InlineData("+442071234567")]
    [InlineData("+1 416 555 1234")]
    public void International_formats_need_no_default_country(string input)
    {
        Assert.True(Parser.TryNormalize(input, null, out var number, out _));
        Assert.StartsWith("+", number.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00 44 20 7123 4567", "GB", "+442071234567")]
    [InlineData("011 44 20 7123 4567", "US", "+442071234567")]
    [InlineData("0011 44 20 7123 4567", "AU", "+442071234567")]
    [InlineData("00 1 416 555 1234", "DE", "+14165551234")]
    public void International_prefix_of_the_default_country_starts_an_international_number(string input, string region, string expected)
    {
        Assert.Equal(expected, Parser.Normalize(input, region).Value);
    }

    [Theory]
    [InlineData("44 20 7123 4567", "GB", "+442071234567")]
    [InlineData("33 6 12 34 56 78", "FR", "+33612345678")]
    public void Own_country_code_without_plus_is_understood(string input, string region, string expected)
    {
        Assert.Equal(expected, Parser.Normalize(input, region).Value);
    }

    [Theory]
    // Argentina: trunk 0 plus the mobile "15" after the area code becomes the international 9 prefix.
    [InlineData("011 15-2345-6789", "AR", "+5491123456789")]
    // Brazil: trunk 0 followed by a carrier selection code (15).
    [InlineData("0 15 11 96123-4567", "BR", "+5511961234567")]
    // Antigua: seven-digit local dialling gains the 268 area code.
    [InlineData("464-1234", "AG", "+12684641234")]
    public void National_prefix_rules_from_the_metadata_rewrite_local_dialling(string input, string region, string expected)
    {
        Assert.Equal(expected, Parser.Normalize(input, region).Value);
    }

    [Theory]
    [InlineData("\uFF0B\uFF11 \uFF14\uFF11\uFF16 \uFF15\uFF15\uFF15 \uFF11\uFF12\uFF13\uFF14")] // full-width
    [InlineData("\u202A+1 416\u2011555\u20131234\u202C")] // direction marks, non-breaking hyphen, en dash
    [InlineData("+1\u00A0416\u00A0555\u00A01234")] // no-break spaces
    public void Pasted_numbers_with_unicode_digits_and_punctuation_normalise(string input)
    {
        Assert.Equal("+14165551234", Parser.Normalize(input, "US").Value);
    }

    [Theory]
    [InlineData(null, "A phone number is required.")]
    [InlineData("", "A phone number is required.")]
    [InlineData("   ", "A phone number is required.")]
    [InlineData("555-abc", "'555-abc' contains characters that are not part of a phone number.")]
    [InlineData("1-800-FLOWERS", "'1-800-FLOWERS' contains characters that are not part of a phone number.")]
    [InlineData("+1 416 555 1234 +1", "'+1 416 555 1234 +1' contains characters that are not part of a phone number.")]
    [InlineData("12", "'12' is too short to be a phone number.")]
    [InlineData("+999 123", "'+999 123' has no known country calling code.")]
    [InlineData("+1 123 456 7890", "'+1 123 456 7890' is not a valid number for +1 (US, AG, AI and 22 more).")]
    [InlineData("+1 416 555 123", "'+1 416 555 123' is too short for a phone number in +1 (US, AG, AI and 22 more).")]
    [InlineData("+1 416 555 12345", "'+1 416 555 12345' is too long for a phone number in +1 (US, AG, AI and 22 more).")]
    [InlineData("555 1234", "'555 1234' is too short for a phone number in +1 (US, AG, AI and 22 more).")]
    [InlineData("+44 20 7123 45678 9", "'+44 20 7123 45678 9' is too long for a phone number in +44 (GB, GG, IM, JE).")]
    [InlineData("4165551234", "'4165551234' has no country calling code; write it with + and the country code, like +1 416 555 1234.")]
    [InlineData("416 555 1234 ext. 12", "'416 555 1234 ext. 12' has an extension; a text message can't reach an extension, so leave it off.")]
    [InlineData("+1 416 555 1234 x5", "'+1 416 555 1234 x5' has an extension; a text message can't reach an extension, so leave it off.")]
    public void Invalid_input_is_rejected_with_a_message_naming_the_problem(string? input, string expected)
    {
        var region = input == "4165551234" ? null : "US";
        Assert.False(Parser.TryNormalize(input, region, out var number, out var error));
        Assert.Null(number);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("+1 416 555 1234 5678 9012 3456 7890 1234 5678")]
    [InlineData("12345678901234567890123456789012345678901")]
    public void Input_over_forty_characters_is_rejected_before_parsing(string input)
    {
        Assert.False(Parser.TryNormalize(input, "US", out _, out var error));
        Assert.StartsWith("A phone number has at most 40 characters", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234567890123456", "US")]
    [InlineData("+1 4165 5512 3456 7890", "US")]
    [InlineData("+49 1512 3456 7890 1234", "DE")]
    public void Numbers_longer_than_their_country_allows_are_too_long(string input, string region)
    {
        Assert.False(Parser.TryNormalize(input, region, out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_throws_a_format_exception_with_the_message()
    {
        var thrown = Assert.Throws<FormatException>(() => Parser.Normalize("+999 123", "US"));
        Assert.Equal("'+999 123' has no known country calling code.", thrown.Message);
    }

    [Fact]
    public void Unknown_default_region_is_a_programming_error()
    {
        Assert.Throws<ArgumentException>(() => Parser.TryNormalize("4165551234", "XX", out _, out _));
    }

    [Fact]
    public void Seven_digit_numbers_need_an_area_code_except_canadian_310_numbers()
    {
        Assert.False(Parser.TryNormalize("555 1234", "US", out _, out _));
        Assert.False(Parser.TryNormalize("555 1234", "CA", out _, out _));
        // libphonenumber holds Canada's seven-digit 310 numbers valid anywhere in +1.
        Assert.Equal("+13102255", Parser.Normalize("310-2255", "CA").Value);
        Assert.Equal("+13102255", Parser.Normalize("310 2255", "US").Value);
    }

    [Theory]
    [InlineData("+14165551234", "CA")]
    [InlineData("+12125551234", "US")]
    [InlineData("+18005551234", "US")]
    [InlineData("+12684641234", "AG")]
    [InlineData("+17875551234", "PR")]
    [InlineData("+442071234567", "GB")]
    [InlineData("+441481256789", "GG")]
    [InlineData("+77011234567", "KZ")]
    [InlineData("+74951234567", "RU")]
    [InlineData("+33612345678", "FR")]
    [InlineData("+80012345678", null)]
    public void Region_of_a_number_tells_apart_countries_sharing_a_calling_code(string e164, string? expected)
    {
        Assert.Equal(expected, Parser.RegionOf(E164.Parse(e164)));
    }

    [Theory]
    [InlineData("+14165551234")]
    [InlineData("+442071234567")]
    [InlineData("+5511961234567")]
    public void E164_parse_accepts_normalised_numbers(string e164)
    {
        var number = E164.Parse(e164);
        Assert.Equal(e164, number.Value);
        Assert.Equal(e164, number.ToString());
        Assert.Equal(Parser.Normalize(e164, "US"), number);
    }

    [Theory]
    [InlineData("14165551234")]
    [InlineData("+1 416 555 1234")]
    [InlineData("+4402071234567")]
    [InlineData("+11234567890")]
    [InlineData("+999123456")]
    [InlineData("+0123456789")]
    [InlineData("")]
    public void E164_parse_rejects_anything_not_normalised_and_valid(string text)
    {
        Assert.Throws<FormatException>(() => E164.Parse(text));
        Assert.False(E164.TryParse(text, out _));
    }

    [Fact]
    public void E164_round_trips_through_json_as_a_string()
    {
        var contact = new Contact(E164.Parse("+14165551234"), new Dictionary<E164, int> { [E164.Parse("+442071234567")] = 3 });

        var json = JsonSerializer.Serialize(contact);

        Assert.StartsWith("""{"Phone":"+14165551234",""", json, StringComparison.Ordinal);
        Assert.Equal(contact.Phone, JsonSerializer.Deserialize<Contact>(json)!.Phone);
        Assert.Equal(3, JsonSerializer.Deserialize<Contact>(json)!.Counts[E164.Parse("+442071234567")]);
    }

    [Theory]
    [InlineData("""{"Phone":"(416) 555-1234","Counts":{}}""")]
    [InlineData("""{"Phone":14165551234,"Counts":{}}""")]
    public void E164_json_rejects_numbers_not_in_e164_form(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Contact>(json));
    }

    [Fact]
    public void Random_nanp_numbers_in_any_common_format_are_judged_as_their_ten_digits_are()
    {
        var digit = Gen.Choose(0, 9).Select(d => (char)('0' + d));
        var leading = Gen.Choose(2, 9).Select(d => (char)('0' + d));
        var threeDigits = Gen.Zip(leading, Gen.ArrayOf(digit, 2)).Select(t => t.Item1 + new string(t.Item2));
        var fourDigits = Gen.ArrayOf(digit, 4).Select(d => new string(d));
        var separator = Gen.Elements("", " ", "-", ".", "  ", " - ");
        var prefix = Gen.Elements("", "1", "1 ", "1-", "+1", "+1 ", "+1-", "+1 (", "001 ");
        var parens = Gen.Elements(false, true);
        var region = Gen.Elements("US", "CA");

        var formatted =
            from area in threeDigits
            from exchange in threeDigits
            from line in fourDigits
            from sep in separator
            from pre in prefix
            from wrapArea in parens
            from home in region
            let areaText = wrapArea || pre.EndsWith('(') ? $"({area})" : area
            let shown = pre.EndsWith('(') ? pre[..^1] + areaText : pre + areaText
            select (Input: $"{shown}{sep}{exchange}{sep}{line}", Region: pre.StartsWith("00", StringComparison.Ordinal) ? "GB" : home, Expected: $"+1{area}{exchange}{line}");

        // Not every NXX-NXX-XXXX is in service: the bare number decides, whatever the formatting.
        Prop.ForAll(formatted.ToArbitrary(), t =>
            {
                var ok = Parser.TryNormalize(t.Input, t.Region, out var number, out var error);
                var valid = Parser.TryNormalize(t.Expected, null, out _, out _);
                return (ok == valid && (!ok || number!.Value == t.Expected)).Label($"{t.Input} ({t.Region}) gave {number?.Value ?? error}");
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Normalising_a_normalised_number_again_changes_nothing()
    {
        // Digit runs of plausible lengths after the prefixes people type, so that many inputs are valid somewhere.
        var digit = Gen.Choose(0, 9).Select(d => (char)('0' + d));
        var digits = Gen.Choose(6, 13).SelectMany(length => Gen.ArrayOf(digit, length));
        var prefix = Gen.Elements("", "", "0", "1", "+", "00", "011 ", "+1 ", "+44 ", "+49 ", "+7 ", "+55 ");
        var separator = Gen.Elements("", " ", "-", ".");
        var input =
            from pre in prefix
            from number in digits
            from sep in separator
            select pre + string.Join(sep, number.Chunk(3).Select(chunk => new string(chunk)));
        var region = Gen.Elements("US", "CA", "GB", "DE", "FR", "AU", "IN", "BR", "AR", "AG", "RU", "IT", "JP", "MX");

        Prop.ForAll(Gen.Zip(input, region).ToArbitrary(), t =>
            {
                if (!Parser.TryNormalize(t.Item1, t.Item2, out var number, out _))
                {
                    return true.ToProperty();
                }

                var again = Parser.Normalize(number.Value, t.Item2);
                var reparsed = E164.Parse(number.Value);
                return (again == number && reparsed == number).Label($"{t.Item1} ({t.Item2}) gave {number}, then {again}");
            })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Arbitrary_strings_never_make_try_normalize_throw()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
            {
                var ok = Parser.TryNormalize(text, "US", out var number, out var error);
                return ok ? number!.Value.StartsWith('+') && error.Length == 0 : number is null && error.Length > 0;
            })
            .QuickCheckThrowOnFailure();
    }

    private sealed record Contact(E164 Phone, Dictionary<E164, int> Counts);
}
