using FsCheck;
using FsCheck.Fluent;
using Parley.Messaging;
using PhoneNumbers;

namespace Parley.Tests.Messaging;

/// <summary>Parley's verdict on a number is libphonenumber's: the same numbers accepted, the same E.164.</summary>
public sealed class PhoneNumberLibraryTests
{
    private static readonly PhoneNumberParser Parser = PhoneNumberParser.Default;
    private static readonly PhoneNumberUtil Library = PhoneNumberUtil.GetInstance();
    private static readonly string[] Regions = [.. Library.GetSupportedRegions().Order(StringComparer.Ordinal)];

    [Fact]
    public void Parley_accepts_exactly_the_numbers_the_library_calls_valid_and_writes_its_e164()
    {
        var digit = Gen.Choose(0, 9).Select(d => (char)('0' + d));
        var region = Gen.Elements(Regions);
        var home = Gen.Frequency((3, Gen.Elements("US", "CA", "GB", "DE", "FR", "AU", "IN", "BR", "MX", "JP")), (2, region));
        var separator = Gen.Elements("", " ", "-", ".");

        // Random digits after the prefixes people type: nearly always invalid.
        var random =
            from pre in Gen.Elements("", "", "+", "0", "00", "011", "1", "+1", "+44", "(", "tel:+")
            from length in Gen.Choose(4, 16)
            from digits in Gen.ArrayOf(digit, length)
            from country in home
            select (Prefix: pre, Digits: new string(digits), Region: country);

        // A real number of some region (the library's example numbers) with its last digits changed, and
        // now and then a digit short or long; written nationally in its own region or with + from anywhere.
        var lengthChange = Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(-2, -1)), (1, Gen.Choose(1, 2)));
        var nearReal =
            from own in region
            from type in Gen.Elements(PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE, PhoneNumberType.TOLL_FREE, PhoneNumberType.VOIP)
            from national in Gen.Elements(true, false)
            from trunk in Gen.Elements(true, false)
            from change in lengthChange
            from replaced in Gen.Choose(0, 4)
            from fresh in Gen.ArrayOf(digit, 6)
            from elsewhere in home
            let example = Library.GetExampleNumberForType(own, type) ?? Library.GetExampleNumber(own)
            where example is not null
            let digits = national ? Library.GetNationalSignificantNumber(example) : Library.Format(example, PhoneNumberFormat.E164)[1..]
            let kept = digits[..Math.Max(1, digits.Length - replaced)]
            let body = (kept + new string(fresh))[..Math.Max(1, digits.Length + change)]
            let prefix = national ? (trunk ? Library.GetNddPrefixForRegion(own, true) ?? string.Empty : string.Empty) : "+"
            select (Prefix: prefix, Digits: body, Region: national ? own : elsewhere);

        var input =
            from number in Gen.Frequency((1, random), (3, nearReal))
            from sep in separator
            from chunk in Gen.Choose(2, 4)
            select (Input: number.Prefix + string.Join(sep, number.Digits.Chunk(chunk).Select(c => new string(c))), number.Region);

        Prop.ForAll(input.ToArbitrary(), t =>
            {
                var expected = LibraryVerdict(t.Input, t.Region);
                var ok = Parser.TryNormalize(t.Input, t.Region, out var number, out var error);
                return (number?.Value == expected && ok == expected is not null && (ok || error.Length > 0))
                    .Label($"{t.Input} ({t.Region}): library {expected ?? "invalid"}, Parley {number?.Value ?? error}");
            })
            .Check(Config.QuickThrowOnFailure.WithMaxTest(50_000));
    }

    [Theory]
    // Area codes not in service, N11 and N9X codes, exchanges starting 0 or 1: NANP's shape, but no number.
    [InlineData("(999) 555-0123")]
    [InlineData("411 555 0123")]
    [InlineData("+1 911 555 0123")]
    [InlineData("290-555-0123")]
    [InlineData("+1 393 555 0123")]
    [InlineData("416 055 0123")]
    [InlineData("416-155-0123")]
    [InlineData("+1 212 123 4567")]
    public void Numbers_shaped_like_nanp_but_outside_its_plan_are_refused(string input)
    {
        Assert.False(Parser.TryNormalize(input, "US", out var number, out var error));
        Assert.Null(number);
        Assert.Contains("+1 (US, AG, AI and 22 more)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("44 7400 123456")]
    [InlineData("33 6 12 34 56 78")]
    [InlineData("49 1512 3456789")]
    [InlineData("61 412 345 678")]
    public void A_number_abroad_typed_without_plus_is_refused_rather_than_read_as_a_us_number(string input)
    {
        Assert.False(Parser.TryNormalize(input, "US", out _, out var error));
        Assert.EndsWith("if it is a number abroad, write it with + and its country code.", error, StringComparison.Ordinal);
        Assert.True(Parser.TryNormalize("+" + input, "US", out _, out _));
    }

    [Theory]
    [InlineData("212-555-0123", "US")]
    [InlineData("416-555-0199", "US")]
    [InlineData("(604) 555-0100", "CA")]
    [InlineData("+1 808 555 0142", "US")]
    public void Fictional_555_01xx_numbers_in_real_area_codes_are_valid(string input, string region)
    {
        Assert.True(Parser.TryNormalize(input, region, out _, out var error), error);
    }

    [Theory]
    [InlineData("+14165550123", PhoneType.FixedLineOrMobile)]
    [InlineData("+18005550123", PhoneType.TollFree)]
    [InlineData("+447400123456", PhoneType.Mobile)]
    [InlineData("+442071234567", PhoneType.FixedLine)]
    [InlineData("+4915123456789", PhoneType.Mobile)]
    [InlineData("+33612345678", PhoneType.Mobile)]
    [InlineData("+80012345678", PhoneType.TollFree)]
    [InlineData("+13102255", PhoneType.Uan)]
    public void A_number_has_the_line_type_the_library_gives_its_range(string e164, PhoneType expected)
    {
        Assert.Equal(expected, Parser.TypeOf(E164.Parse(e164)));
        Assert.Equal(expected, Parser.TypeOf(e164));
    }

    [Theory]
    [InlineData("4165550123")]
    [InlineData("+1 416 555 0123")]
    [InlineData("+11234567890")]
    [InlineData(null)]
    public void Only_numbers_in_e164_form_have_a_type_by_text(string? text)
    {
        Assert.Null(Parser.TypeOf(text));
    }

    [Theory]
    [InlineData("+14165550123", "America/Toronto")]
    [InlineData("+12135550123", "America/Los_Angeles")]
    [InlineData("+18085550142", "Pacific/Honolulu")]
    [InlineData("+442079460123", "Europe/London")]
    [InlineData("+61298765432", "Australia/Sydney")]
    public void A_geographic_number_lies_in_its_area_codes_time_zone(string e164, string zone)
    {
        Assert.Equal([zone], Parser.TimeZonesOf(E164.Parse(e164)));
    }

    [Fact]
    public void A_non_geographic_number_has_no_time_zone()
    {
        Assert.Empty(Parser.TimeZonesOf(E164.Parse("+80012345678")));
    }

    private static string? LibraryVerdict(string input, string region)
    {
        try
        {
            var number = Library.Parse(input, region);
            return Library.IsValidNumber(number) ? Library.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
