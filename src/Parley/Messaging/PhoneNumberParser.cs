using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Parley.Messaging;

/// <summary>
/// Turns what people type — <c>(416) 555-1234</c>, <c>+44 20 7123 4567</c>, <c>011 44 20 7123 4567</c> —
/// into an <see cref="E164"/>. libphonenumber parses and judges every number: one is accepted exactly when
/// the library calls it valid. Parley adds only what a text message needs (no letters, no extension) and
/// says what is wrong in words the person who typed it can act on.
/// </summary>
public sealed partial class PhoneNumberParser
{
    /// <summary>Longer input is refused before any parsing.</summary>
    public const int MaxInputLength = 40;

    // No country's numbers are shorter than four digits with their area code.
    private const int MinDigits = 4;
    private const string NonGeographicRegion = "001";
    private const string UnknownTimeZone = "Etc/Unknown";

    private readonly PhoneNumberUtil library = PhoneNumberUtil.GetInstance();
    private readonly PhoneNumberToTimeZonesMapper timeZones = PhoneNumberToTimeZonesMapper.GetInstance();
    private readonly FrozenSet<string> regions;

    private PhoneNumberParser() =>
        regions = library.GetSupportedRegions().ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>The one parser; libphonenumber loads its metadata once, on first use.</summary>
    public static PhoneNumberParser Default { get; } = new();

    /// <summary>
    /// Normalises <paramref name="input"/>; numbers written without <c>+</c> or an international prefix
    /// are read as national numbers of <paramref name="defaultRegion"/> (ISO 3166 alpha-2, e.g. "US").
    /// </summary>
    /// <param name="defaultRegion">Null or empty when there is no default: only international numbers are accepted.</param>
    /// <param name="error">Empty on success; otherwise a message naming the problem, fit to show the person who typed it.</param>
    /// <exception cref="ArgumentException"><paramref name="defaultRegion"/> is not a region libphonenumber knows.</exception>
    public bool TryNormalize(string? input, string? defaultRegion, [NotNullWhen(true)] out E164? number, out string error)
    {
        var home = HomeRegion(defaultRegion);
        number = null;
        error = Screen(input) ?? string.Empty;
        if (error.Length > 0)
        {
            return false;
        }

        var text = input!.Trim();
        if (!TryParse(text, home, out var parsed, out error))
        {
            return false;
        }

        if (!library.IsValidNumber(parsed))
        {
            error = Invalid(text, parsed, home);
            return false;
        }

        number = E164.FromNormalized(library.Format(parsed, PhoneNumberFormat.E164));
        return true;
    }

    /// <inheritdoc cref="TryNormalize" />
    /// <exception cref="FormatException">The input is not a valid phone number; the message says why.</exception>
    public E164 Normalize(string input, string? defaultRegion) =>
        TryNormalize(input, defaultRegion, out var number, out var error) ? number : throw new FormatException(error);

    /// <summary>Whether <paramref name="region"/> (ISO 3166 alpha-2) is a country libphonenumber describes.</summary>
    public bool IsKnownRegion(string? region) => region is { Length: 2 } && regions.Contains(region);

    /// <summary>
    /// The region the number belongs to ("US", "CA", "GB"…), telling apart regions that share a calling
    /// code by their number ranges; null for non-geographic numbers (+800…).
    /// </summary>
    public string? RegionOf(E164 number)
    {
        var region = library.GetRegionCodeForNumber(Parsed(number));
        return region is null or NonGeographicRegion or "ZZ" ? null : region;
    }

    /// <summary>What kind of line the number is (mobile, fixed line, toll free…), by libphonenumber's ranges.</summary>
    public PhoneType TypeOf(E164 number) => library.GetNumberType(Parsed(number)) switch
    {
        PhoneNumberType.FIXED_LINE => PhoneType.FixedLine,
        PhoneNumberType.MOBILE => PhoneType.Mobile,
        PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneType.FixedLineOrMobile,
        PhoneNumberType.TOLL_FREE => PhoneType.TollFree,
        PhoneNumberType.PREMIUM_RATE => PhoneType.PremiumRate,
        PhoneNumberType.SHARED_COST => PhoneType.SharedCost,
        PhoneNumberType.VOIP => PhoneType.Voip,
        PhoneNumberType.PERSONAL_NUMBER => PhoneType.PersonalNumber,
        PhoneNumberType.PAGER => PhoneType.Pager,
        PhoneNumberType.UAN => PhoneType.Uan,
        PhoneNumberType.VOICEMAIL => PhoneType.Voicemail,
        _ => PhoneType.Unknown,
    };

    /// <inheritdoc cref="TypeOf(E164)" />
    /// <returns>Null when <paramref name="e164"/> is not a valid number in E.164 form.</returns>
    public PhoneType? TypeOf(string? e164) => E164.TryParse(e164, out var number) ? TypeOf(number) : null;

    /// <summary>The IANA time zones the number's prefix lies in (one for most area codes, several for a
    /// country-wide range, empty when the library has none).</summary>
    public IReadOnlyList<string> TimeZonesOf(E164 number) =>
        timeZones.GetTimeZonesForNumber(Parsed(number)).Where(zone => zone != UnknownTimeZone).ToList();

    private PhoneNumber Parsed(E164 number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return library.Parse(number.Value, null);
    }

    private string? HomeRegion(string? defaultRegion)
    {
        if (string.IsNullOrEmpty(defaultRegion))
        {
            return null;
        }

        return IsKnownRegion(defaultRegion)
            ? defaultRegion.ToUpperInvariant()
            : throw new ArgumentException($"'{defaultRegion}' is not a known region (expected an ISO 3166 alpha-2 code such as US).", nameof(defaultRegion));
    }

    private bool TryParse(string text, string? home, [NotNullWhen(true)] out PhoneNumber? parsed, out string error)
    {
        try
        {
            parsed = library.Parse(text, home);
            error = string.Empty;
            return true;
        }
        catch (NumberParseException e)
        {
            parsed = null;
            error = e.ErrorType switch
            {
                ErrorType.INVALID_COUNTRY_CODE when home is null && !IsInternational(text) =>
                    $"'{text}' has no country calling code; write it with + and the country code, like +1 416 555 1234.",
                ErrorType.INVALID_COUNTRY_CODE => $"'{text}' has no known country calling code.",
                ErrorType.TOO_LONG => $"'{text}' is too long to be a phone number.",
                ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD => $"'{text}' is too short to be a phone number.",
                _ => $"'{text}' is not a phone number.",
            };
            return false;
        }
    }

    private string Invalid(string text, PhoneNumber parsed, string? home)
    {
        var country = Describe(parsed.CountryCode);
        var message = library.IsPossibleNumberWithReason(parsed) switch
        {
            // Seven digits in the US: the area code is missing.
            PhoneNumberUtil.ValidationResult.TOO_SHORT or PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY =>
                $"'{text}' is too short for a phone number in {country}.",
            PhoneNumberUtil.ValidationResult.TOO_LONG => $"'{text}' is too long for a phone number in {country}.",
            _ => $"'{text}' is not a valid number for {country}.",
        };

        // "447400123456" typed by a US business: a number abroad without its +.
        return home is not null && !IsInternational(text) && LooksInternational(text)
            ? $"{message[..^1]}; if it is a number abroad, write it with + and its country code."
            : message;
    }

    private bool LooksInternational(string text)
    {
        try
        {
            return library.IsValidNumber(library.Parse("+" + text, null));
        }
        catch (NumberParseException)
        {
            return false;
        }
    }

    // "+44 (GB, GG, IM, JE)", "+1 (US, AG, AI and 22 more)", "+800 (non-geographic)".
    private string Describe(int callingCode)
    {
        const int Shown = 3;
        var codes = library.GetRegionCodesForCountryCode(callingCode);
        var code = callingCode.ToString(CultureInfo.InvariantCulture);
        if (codes.Count == 0 || codes[0] == NonGeographicRegion)
        {
            return $"+{code} (non-geographic)";
        }

        var list = codes.Count <= Shown + 1
            ? string.Join(", ", codes)
            : $"{string.Join(", ", codes.Take(Shown))} and {codes.Count - Shown} more";
        return $"+{code} ({list})";
    }

    private static bool IsInternational(string text)
    {
        var start = text.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(4) : text.AsSpan();
        start = start.TrimStart(" (\uFF08");
        return start.Length > 0 && start[0] is '+' or '\uFF0B';
    }
}
