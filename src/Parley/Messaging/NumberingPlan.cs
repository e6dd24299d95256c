using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Parley.Messaging;

/// <summary>
/// One territory's numbering rules (or a non-geographic calling code's, region "001"), read from
/// libphonenumber's metadata in the compact array layout of libphonenumber-js's <c>metadata.max.json</c>.
/// Regexes are built on first use: a process that only sees North American numbers compiles a handful.
/// </summary>
internal sealed class NumberingPlan
{
    public const string NonGeographicRegion = "001";

    // Positions in a territory's array (metadata format version 4).
    private const int CallingCodeAt = 0;
    private const int InternationalPrefixAt = 1;
    private const int NationalNumberPatternAt = 2;
    private const int PossibleLengthsAt = 3;
    private const int NationalPrefixAt = 5;
    private const int NationalPrefixForParsingAt = 7;
    private const int NationalPrefixTransformRuleAt = 8;
    private const int LeadingDigitsAt = 10;
    private const int TypesAt = 11;

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private readonly string? internationalPrefix;
    private readonly string nationalNumberPattern;
    private readonly string? nationalPrefixForParsing;
    private readonly string? nationalPrefixTransformRule;
    private readonly string? leadingDigits;
    private readonly NumberType[] types;

    private Regex? internationalPrefixRegex;
    private Regex? nationalNumberRegex;
    private Regex? nationalPrefixRegex;
    private Regex? leadingDigitsRegex;

    private NumberingPlan(string region, JsonElement plan)
    {
        Region = region;
        CallingCode = plan[CallingCodeAt].GetString() ?? throw new InvalidDataException($"Region {region} has no calling code.");
        internationalPrefix = StringAt(plan, InternationalPrefixAt);
        nationalNumberPattern = StringAt(plan, NationalNumberPatternAt)
            ?? throw new InvalidDataException($"Region {region} has no national number pattern.");
        PossibleLengths = LengthsOf(plan[PossibleLengthsAt]);
        // Without an explicit rule the national prefix itself is what gets stripped.
        nationalPrefixForParsing = StringAt(plan, NationalPrefixForParsingAt) ?? StringAt(plan, NationalPrefixAt);
        nationalPrefixTransformRule = StringAt(plan, NationalPrefixTransformRuleAt);
        leadingDigits = StringAt(plan, LeadingDigitsAt);
        types = TypesOf(plan, PossibleLengths);
    }

    /// <summary>ISO 3166 alpha-2 code, or "001" for a non-geographic calling code such as +800.</summary>
    public string Region { get; }

    public string CallingCode { get; }

    /// <summary>Lengths a national significant number can have here, ascending.</summary>
    public IReadOnlyList<int> PossibleLengths { get; }

    public bool IsNonGeographic => Region == NonGeographicRegion;

    /// <summary>Reads every territory and non-geographic plan, grouped by calling code, main region first.</summary>
    public static Dictionary<string, NumberingPlan[]> LoadAll(Stream metadataJson)
    {
        using var document = JsonDocument.Parse(metadataJson);
        var root = document.RootElement;
        var countries = root.GetProperty("countries");
        var nonGeographic = root.GetProperty("nonGeographic");

        var byCallingCode = new Dictionary<string, NumberingPlan[]>(StringComparer.Ordinal);
        foreach (var entry in root.GetProperty("country_calling_codes").EnumerateObject())
        {
            // JsonElements die with the document, so each plan copies out the strings it needs.
            byCallingCode[entry.Name] = entry.Value.EnumerateArray()
                .Select(r => r.GetString()!)
                .Select(region => region == NonGeographicRegion
                    ? new NumberingPlan(region, nonGeographic.GetProperty(entry.Name))
                    : new NumberingPlan(region, countries.GetProperty(region)))
                .ToArray();
        }

        // Non-geographic codes (+800 freephone, +882 networks…) are not in country_calling_codes.
        foreach (var entry in nonGeographic.EnumerateObject())
        {
            byCallingCode[entry.Name] = [new NumberingPlan(NonGeographicRegion, entry.Value)];
        }

        return byCallingCode;
    }

    /// <summary>Whole-number check: a possible length and the general pattern of this territory.</summary>
    public bool Allows(string nationalNumber) =>
        PossibleLengths.Contains(nationalNumber.Length)
        && (nationalNumberRegex ??= Whole(nationalNumberPattern)).IsMatch(nationalNumber);

    /// <summary>
    /// Whether a number valid under the shared calling code belongs to this territory: its leading
    /// digits when the metadata gives them (+1 268 is Antigua), otherwise a match with one of its
    /// number types (fixed line, mobile, toll free…).
    /// </summary>
    public bool Claims(string nationalNumber)
    {
        if (!Allows(nationalNumber))
        {
            return false;
        }

        if (leadingDigits is not null)
        {
            return (leadingDigitsRegex ??= Prefix(leadingDigits)).IsMatch(nationalNumber);
        }

        return types.Any(t => t.Matches(nationalNumber));
    }

    /// <summary>Removes an international call prefix (00, 011, 0011…) dialled from this territory.</summary>
    public bool TryStripInternationalPrefix(string digits, out string rest)
    {
        rest = digits;
        if (internationalPrefix is null)
        {
            return false;
        }

        var match = (internationalPrefixRegex ??= Prefix(internationalPrefix)).Match(digits);
        if (!match.Success)
        {
            return false;
        }

        rest = digits[match.Length..];
        return true;
    }

    /// <summary>
    /// Applies the territory's national-prefix-for-parsing rule: drops a trunk prefix (0 in GB, 1 in
    /// the NANP, carrier-selection codes in BR) or, with a transform rule, rewrites local dialling
    /// into the full national number (seven-digit dialling in Antigua becomes 268 + the digits).
    /// </summary>
    public bool TryStripNationalPrefix(string digits, out string nationalNumber)
    {
        nationalNumber = digits;
        if (nationalPrefixForParsing is null)
        {
            return false;
        }

        var match = (nationalPrefixRegex ??= Prefix(nationalPrefixForParsing)).Match(digits);
        if (!match.Success)
        {
            return false;
        }

        var rest = digits[match.Length..];
        var lastGroup = match.Groups[match.Groups.Count - 1];
        nationalNumber = nationalPrefixTransformRule is not null && match.Groups.Count > 1 && lastGroup.Success
            ? Transform(nationalPrefixTransformRule, match) + rest
            : rest;
        return nationalNumber.Length > 0 && nationalNumber != digits;
    }

    // Rules use $1…$9 for capture groups; expanded here so .NET's replacement syntax cannot differ from the data's.
    private static string Transform(string rule, Match match)
    {
        var result = new StringBuilder(rule.Length + 16);
        for (var i = 0; i < rule.Length; i++)
        {
            if (rule[i] == '$' && i + 1 < rule.Length && char.IsAsciiDigit(rule[i + 1]))
            {
                result.Append(match.Groups[rule[i + 1] - '0'].Value);
                i++;
            }
            else
            {
                result.Append(rule[i]);
            }
        }

        return result.ToString();
    }

    private static Regex Whole(string pattern) =>
        new($@"^(?:{pattern})\z", RegexOptions.CultureInvariant, MatchTimeout);

    private static Regex Prefix(string pattern) =>
        new($"^(?:{pattern})", RegexOptions.CultureInvariant, MatchTimeout);

    // Absent values are written as 0 (or missing at the end of the array) rather than null.
    private static string? StringAt(JsonElement plan, int index) =>
        index < plan.GetArrayLength() && plan[index].ValueKind == JsonValueKind.String && plan[index].GetString() is { Length: > 0 } value
            ? value
            : null;

    private static int[] LengthsOf(JsonElement lengths) =>
        lengths.EnumerateArray().Select(l => l.GetInt32()).Order().ToArray();

    // Types are [pattern, lengths?] or 0, in the order fixed line, mobile, toll free, premium rate,
    // personal, voicemail, UAN, pager, VoIP, shared cost. An empty pattern (US mobile) means
    // "same as fixed line" and adds nothing here.
    private static NumberType[] TypesOf(JsonElement plan, IReadOnlyList<int> defaultLengths)
    {
        if (TypesAt >= plan.GetArrayLength() || plan[TypesAt].ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return plan[TypesAt].EnumerateArray()
            .Where(t => t.ValueKind == JsonValueKind.Array && t.GetArrayLength() > 0 && t[0].GetString() is { Length: > 0 })
            .Select(t => new NumberType(t[0].GetString()!, t.GetArrayLength() > 1 ? LengthsOf(t[1]) : defaultLengths))
            .ToArray();
    }

    private sealed class NumberType(string pattern, IReadOnlyList<int> possibleLengths)
    {
        private Regex? regex;

        public bool Matches(string nationalNumber) =>
            possibleLengths.Contains(nationalNumber.Length) && (regex ??= Whole(pattern)).IsMatch(nationalNumber);
    }
}
