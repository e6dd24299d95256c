using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Messaging;

/// <summary>
/// Turns what people type — <c>(416) 555-1234</c>, <c>+44 20 7123 4567</c>, <c>011 44 20 7123 4567</c> —
/// into an <see cref="E164"/>, checked against Google libphonenumber's per-country rules (calling
/// codes, trunk and international prefixes, number patterns and lengths).
/// </summary>
public sealed partial class PhoneNumberParser
{
    /// <summary>Longer input is refused before any parsing.</summary>
    public const int MaxInputLength = 40;

    private const int MaxE164Digits = 15;
    // The shortest national number in the metadata has four digits.
    private const int MinDigits = 4;
    private const string MetadataResource = "Parley.PhoneMetadata.json";

    private static readonly Lazy<PhoneNumberParser> DefaultParser = new(LoadEmbedded);

    private readonly Dictionary<string, NumberingPlan[]> plansByCallingCode;
    private readonly Dictionary<string, NumberingPlan> plansByRegion;

    internal PhoneNumberParser(Stream metadataJson)
    {
        plansByCallingCode = NumberingPlan.LoadAll(metadataJson);
        plansByRegion = plansByCallingCode.Values
            .SelectMany(plans => plans)
            .Where(plan => !plan.IsNonGeographic)
            .ToDictionary(plan => plan.Region, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The parser over the embedded libphonenumber metadata, loaded once on first use.</summary>
    public static PhoneNumberParser Default => DefaultParser.Value;

    /// <summary>
    /// Normalises <paramref name="input"/>; numbers written without <c>+</c> or an international prefix
    /// are read as national numbers of <paramref name="defaultRegion"/> (ISO 3166 alpha-2, e.g. "US").
    /// </summary>
    /// <param name="defaultRegion">Null or empty when there is no default: only international numbers are accepted.</param>
    /// <param name="error">Empty on success; otherwise a message naming the problem, fit to show the person who typed it.</param>
    /// <exception cref="ArgumentException"><paramref name="defaultRegion"/> is not a region in the metadata.</exception>
    public bool TryNormalize(string? input, string? defaultRegion, [NotNullWhen(true)] out E164? number, out string error)
    {
        var home = HomePlan(defaultRegion);
        var outcome = Analyse(input, home);
        number = outcome.Number;
        error = outcome.Error ?? string.Empty;
        return number is not null;
    }

    /// <inheritdoc cref="TryNormalize" />
    /// <exception cref="FormatException">The input is not a valid phone number; the message says why.</exception>
    public E164 Normalize(string input, string? defaultRegion) =>
        TryNormalize(input, defaultRegion, out var number, out var error) ? number : throw new FormatException(error);

    /// <summary>Whether <paramref name="region"/> (ISO 3166 alpha-2) is a country the metadata describes.</summary>
    public bool IsKnownRegion(string? region) => region is { Length: 2 } && plansByRegion.ContainsKey(region);

    /// <summary>
    /// The region the number belongs to ("US", "CA", "GB"…), telling apart regions that share a calling
    /// code by their number ranges; null for non-geographic numbers (+800…) and unassigned ranges.
    /// </summary>
    public string? RegionOf(E164 number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var digits = number.Value[1..];
        if (!TrySplitCallingCode(digits, out var callingCode, out var plans))
        {
            return null;
        }

        var nationalNumber = digits[callingCode.Length..];
        if (plans.Length == 1)
        {
            return plans[0].IsNonGeographic ? null : plans[0].Region;
        }

        return plans.FirstOrDefault(plan => plan.Claims(nationalNumber))?.Region;
    }

    private static PhoneNumberParser LoadEmbedded()
    {
        using var stream = typeof(PhoneNumberParser).Assembly.GetManifestResourceStream(MetadataResource)
            ?? throw new InvalidOperationException($"The embedded resource {MetadataResource} is missing from the build.");
        return new PhoneNumberParser(stream);
    }

    private NumberingPlan? HomePlan(string? defaultRegion)
    {
        if (string.IsNullOrEmpty(defaultRegion))
        {
            return null;
        }

        return plansByRegion.TryGetValue(defaultRegion, out var plan)
            ? plan
            : throw new ArgumentException($"'{defaultRegion}' is not a known region (expected an ISO 3166 alpha-2 code such as US).", nameof(defaultRegion));
    }

    private Outcome Analyse(string? input, NumberingPlan? home)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Outcome.Fail("A phone number is required.");
        }

        var trimmed = input.AsSpan().Trim();
        if (trimmed.Length > MaxInputLength)
        {
            return Outcome.Fail($"A phone number has at most {MaxInputLength} characters; this one has {trimmed.Length}.");
        }

        var shown = trimmed.ToString();
        var text = shown.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? shown[4..] : shown;
        if (HasExtension(text))
        {
            return Outcome.Fail($"'{shown}' has an extension; a text message can't reach an extension, so leave it off.");
        }

        if (!TryReadDigits(text, out var digits, out var international))
        {
            return Outcome.Fail($"'{shown}' contains characters that are not part of a phone number.");
        }

        if (digits.Length < MinDigits)
        {
            return Outcome.Fail($"'{shown}' is too short to be a phone number.");
        }

        if (international)
        {
            return FromInternational(digits, shown);
        }

        if (home is null)
        {
            return Outcome.Fail($"'{shown}' has no country calling code; write it with + and the country code, like +1 416 555 1234.");
        }

        return FromNational(digits, shown, home);
    }

    private Outcome FromInternational(string digits, string shown)
    {
        if (!TrySplitCallingCode(digits, out var callingCode, out var plans))
        {
            return Outcome.Fail($"'{shown}' has no known country calling code.");
        }

        var nationalNumber = digits[callingCode.Length..];
        if (IsValid(callingCode, plans, nationalNumber))
        {
            return Outcome.Ok(callingCode, nationalNumber);
        }

        // "+44 (0)20 7123 4567": a trunk prefix written after the country code.
        if (plans[0].TryStripNationalPrefix(nationalNumber, out var stripped) && IsValid(callingCode, plans, stripped))
        {
            return Outcome.Ok(callingCode, stripped);
        }

        // Judge "too short" by the main region: +1 numbers have ten digits, though Canada also has
        // seven-digit 310 numbers.
        var longest = plans.Max(plan => plan.PossibleLengths[^1]);
        return Invalid(shown, callingCode, plans, nationalNumber, plans[0].PossibleLengths[0], longest);
    }

    private Outcome FromNational(string digits, string shown, NumberingPlan home)
    {
        Outcome? viaInternationalPrefix = null;
        // Calling codes never start with 0, so "00 0…" is not an international prefix but a national number.
        if (home.TryStripInternationalPrefix(digits, out var afterPrefix) && afterPrefix.Length > 0 && afterPrefix[0] != '0')
        {
            viaInternationalPrefix = FromInternational(afterPrefix, shown);
            if (viaInternationalPrefix.Value.Number is not null)
            {
                return viaInternationalPrefix.Value;
            }
        }

        var callingCode = home.CallingCode;
        var plans = plansByCallingCode[callingCode];
        // The number may belong to a neighbour sharing the calling code (a Canadian number typed in the
        // US), but its length must suit the home region, or "555 1234" missing its area code would pass
        // as a seven-digit Canadian service number.
        bool Fits(string nationalNumber) =>
            home.PossibleLengths.Contains(nationalNumber.Length) && IsValid(callingCode, plans, nationalNumber);

        var hasTrunkPrefix = home.TryStripNationalPrefix(digits, out var stripped);
        if (hasTrunkPrefix && Fits(stripped))
        {
            return Outcome.Ok(callingCode, stripped);
        }

        if (Fits(digits))
        {
            return Outcome.Ok(callingCode, digits);
        }

        // The country code without its +: "44 20 7123 4567" typed in GB.
        if (digits.StartsWith(callingCode, StringComparison.Ordinal) && Fits(digits[callingCode.Length..]))
        {
            return Outcome.Ok(callingCode, digits[callingCode.Length..]);
        }

        return viaInternationalPrefix
            ?? Invalid(shown, callingCode, plans, hasTrunkPrefix ? stripped : digits, home.PossibleLengths[0], home.PossibleLengths[^1]);
    }

    private static bool IsValid(string callingCode, NumberingPlan[] plans, string nationalNumber) =>
        callingCode.Length + nationalNumber.Length <= MaxE164Digits && plans.Any(plan => plan.Allows(nationalNumber));

    // Calling codes are one to three digits and prefix-free, so the first hit is the only one.
    private bool TrySplitCallingCode(string digits, out string callingCode, out NumberingPlan[] plans)
    {
        for (var length = 1; length <= 3 && length <= digits.Length; length++)
        {
            if (plansByCallingCode.TryGetValue(digits[..length], out var found))
            {
                callingCode = digits[..length];
                plans = found;
                return true;
            }
        }

        callingCode = string.Empty;
        plans = [];
        return false;
    }

    private static Outcome Invalid(string shown, string callingCode, NumberingPlan[] plans, string nationalNumber, int shortest, int longest)
    {
        var country = Describe(callingCode, plans);
        if (nationalNumber.Length < shortest)
        {
            return Outcome.Fail($"'{shown}' is too short for a phone number in {country}.");
        }

        if (nationalNumber.Length > longest || callingCode.Length + nationalNumber.Length > MaxE164Digits)
        {
            return Outcome.Fail($"'{shown}' is too long for a phone number in {country}.");
        }

        return Outcome.Fail($"'{shown}' is not a valid number for {country}.");
    }

    // "+44 (GB, GG, IM, JE)", "+1 (US, AG, AI and 22 more)", "+800 (non-geographic)".
    private static string Describe(string callingCode, NumberingPlan[] plans)
    {
        const int Shown = 3;
        if (plans[0].IsNonGeographic)
        {
            return $"+{callingCode} (non-geographic)";
        }

        var regions = plans.Select(plan => plan.Region).ToArray();
        var list = regions.Length <= Shown + 1
            ? string.Join(", ", regions)
            : $"{string.Join(", ", regions.Take(Shown))} and {regions.Length - Shown} more";
        return $"+{callingCode} ({list})";
    }

    private static bool HasExtension(string text)
    {
        var match = ExtensionSuffix().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var number = text.AsSpan(0, match.Index);
        return number.ContainsAnyInRange('0', '9') && !number.ContainsAnyInRange('A', 'Z') && !number.ContainsAnyInRange('a', 'z');
    }

    // Digits of any script (full-width, Arabic-Indic…) count; a '+' may come only before the first digit.
    private static bool TryReadDigits(string text, out string digits, out bool international)
    {
        var result = new StringBuilder(text.Length);
        international = false;
        digits = string.Empty;
        foreach (var c in text)
        {
            if (char.IsDigit(c))
            {
                var value = CharUnicodeInfo.GetDecimalDigitValue(c);
                if (value < 0)
                {
                    return false;
                }

                result.Append((char)('0' + value));
            }
            else if (c is '+' or '\uFF0B')
            {
                if (international || result.Length > 0)
                {
                    return false;
                }

                international = true;
            }
            else if (!IsSeparator(c))
            {
                return false;
            }
        }

        digits = result.ToString();
        return true;
    }

    private static bool IsSeparator(char c) =>
        char.IsWhiteSpace(c)
        || c is '-' or '.' or '(' or ')' or '[' or ']' or '/'
        || c is (>= '\u2010' and <= '\u2015') or '\u2212' // hyphens and dashes, minus
        || c is '\uFF08' or '\uFF09' or '\uFF0D' or '\uFF0E' or '\uFF0F' // full-width ( ) - . /
        || char.GetUnicodeCategory(c) == UnicodeCategory.Format; // zero-width and direction marks from copy-paste

    [GeneratedRegex(@"(?:ext(?:ension)?\.?|x|#)\s*\d{1,7}\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ExtensionSuffix();

    private readonly record struct Outcome(E164? Number, string? Error)
    {
        public static Outcome Ok(string callingCode, string nationalNumber) =>
            new(E164.FromNormalized($"+{callingCode}{nationalNumber}"), null);

        public static Outcome Fail(string error) => new(null, error);
    }
}
