using Parley.Messaging;

namespace Parley.Campaigns;

/// <summary>
/// When a campaign may text a number: 8:00–21:00 in the recipient's local time (federal), or a stricter
/// state window. Local time comes from the number's prefix (libphonenumber's time-zone data); a prefix
/// spanning several zones must be inside the window in every one of them. State windows follow the
/// reference table; the state is read from the area code, which is imperfect (numbers move with people).
/// </summary>
public static class QuietHours
{
    /// <summary>A number whose prefix maps to more zones than this says nothing useful (+1 toll free, a
    /// country-wide mobile range): the tenant's zone is used instead.</summary>
    private const int MaxZonesPerPrefix = 4;

    private static readonly Dictionary<string, string> StateOfAreaCode = BuildStates();

    public static IReadOnlyList<TimeZoneInfo> ZonesOf(string e164, string fallbackZone)
    {
        if (E164.TryParse(e164, out var number) && PhoneNumberParser.Default.TimeZonesOf(number) is { Count: > 0 and <= MaxZonesPerPrefix } names)
        {
            var zones = names.Select(Find).OfType<TimeZoneInfo>().ToList();
            if (zones.Count > 0)
            {
                return zones;
            }
        }

        return [Find(fallbackZone) ?? TimeZoneInfo.Utc];
    }

    /// <summary>The US state of a +1 number's area code, for the states with stricter windows; else null.</summary>
    public static string? StateOf(string e164) =>
        e164.Length == 12 && e164.StartsWith("+1", StringComparison.Ordinal) && StateOfAreaCode.TryGetValue(e164[2..5], out var state) ? state : null;

    /// <summary>Local opening and closing hour for a state (null: the federal window) on a day.</summary>
    public static (int Start, int End) Window(string? state, DayOfWeek day) => state switch
    {
        "FL" or "OK" or "MD" or "MA" or "NJ" => (8, 20),
        "CT" or "NV" => (9, 20),
        "TX" => day == DayOfWeek.Sunday ? (12, 21) : (9, 21),
        _ => (8, 21),
    };

    /// <summary><paramref name="nowUtc"/> when the number may be texted now, else the next time it may.</summary>
    public static DateTime NextAllowedUtc(string e164, DateTime nowUtc, string fallbackZone, string? contactZone = null)
    {
        IReadOnlyList<TimeZoneInfo> zones = contactZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(contactZone, out var own)
            ? [own]
            : ZonesOf(e164, fallbackZone);
        var state = StateOf(e164);
        var candidate = nowUtc;
        for (var i = 0; i < 8; i++)
        {
            var next = zones.Select(z => NextAllowedIn(z, state, candidate)).Max();
            if (next == candidate)
            {
                return candidate;
            }

            candidate = next;
        }

        return candidate;
    }

    private static DateTime NextAllowedIn(TimeZoneInfo zone, string? state, DateTime utc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        for (var day = 0; day < 8; day++)
        {
            var date = local.Date.AddDays(day);
            var (start, end) = Window(state, date.DayOfWeek);
            var opens = date.AddHours(start);
            var closes = date.AddHours(end);
            if (day == 0 && local >= opens && local < closes)
            {
                return utc;
            }

            if (opens > local)
            {
                return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(opens, DateTimeKind.Unspecified), zone);
            }
        }

        return utc;
    }

    private static TimeZoneInfo? Find(string id) => TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    // Area codes of the states whose windows are stricter than the federal one (NANPA assignments).
    private static Dictionary<string, string> BuildStates()
    {
        var byState = new Dictionary<string, string>
        {
            ["FL"] = "239 305 321 324 352 386 407 448 561 645 656 689 727 728 754 772 786 813 850 863 904 941 954",
            ["OK"] = "405 539 572 580 918",
            ["MD"] = "227 240 301 410 443 667",
            ["MA"] = "339 351 413 508 617 774 781 857 978",
            ["NJ"] = "201 551 609 640 732 848 856 862 908 973",
            ["CT"] = "203 475 860 959",
            ["NV"] = "702 725 775",
            ["TX"] = "210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915 936 940 945 956 972 979",
        };
        return byState.SelectMany(s => s.Value.Split(' ').Select(code => (code, s.Key))).ToDictionary(x => x.code, x => x.Key);
    }
}

/// <summary>Fills a campaign's template for one recipient.</summary>
public static partial class CampaignTemplate
{
    public const string FirstNameFallback = "there";

    public static readonly IReadOnlyList<string> Fields = ["firstName", "company"];

    /// <summary>Fields in the template Parley does not know, for a validation message.</summary>
    public static IReadOnlyList<string> UnknownFields(string template) =>
        FieldPattern().Matches(template).Select(m => m.Groups[1].Value).Where(f => !Fields.Contains(f, StringComparer.OrdinalIgnoreCase)).Distinct().ToList();

    /// <summary>{firstName} (or "there"), {company}: the business that sends, so every text names its sender.</summary>
    public static string Render(string template, string? firstName, string company) =>
        FieldPattern().Replace(template, m => m.Groups[1].Value.ToLowerInvariant() switch
        {
            "firstname" => string.IsNullOrWhiteSpace(firstName) ? FirstNameFallback : firstName.Trim(),
            "company" => company,
            _ => m.Value,
        });

    [System.Text.RegularExpressions.GeneratedRegex(@"\{\s*([A-Za-z_]+)\s*\}")]
    private static partial System.Text.RegularExpressions.Regex FieldPattern();
}

/// <summary>Limits for campaign sends (<c>Parley:Campaigns</c>). Segments count as messages.</summary>
public sealed class CampaignOptions
{
    public const string Section = "Parley:Campaigns";

    public int PerNumberPerMinute { get; set; } = 60;
    public int PerTenantPerMinute { get; set; } = 240;
    public int DailyCap { get; set; } = 2000;
    public int BatchSize { get; set; } = 50;

    /// <summary>Price of one outbound segment, for the campaign's cost and the wallet check: always the
    /// wallet's own segment rate (<c>Parley:Billing:SmsSegmentMicros</c>), set at start-up.</summary>
    public long SegmentPriceMicros { get; set; } = 8_000;

    /// <summary>How long the campaign runs at half rate after the carrier asks Parley to slow down.</summary>
    public TimeSpan SlowDownFor { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Validate()
    {
        if (PerNumberPerMinute < 1 || PerTenantPerMinute < 1 || DailyCap < 1 || BatchSize < 1)
        {
            yield return "Parley:Campaigns:PerNumberPerMinute, PerTenantPerMinute, DailyCap and BatchSize must be at least 1.";
        }

        if (SegmentPriceMicros < 0)
        {
            yield return "Parley:Campaigns:SegmentPriceMicros cannot be negative.";
        }
    }
}
