using System.Globalization;

namespace Parley.Booking;

/// <summary>
/// The zone a time is written in, for a texter who may live elsewhere: the short name people in North America
/// know ("ET", "CT", "MT", "PT", "MST" for Arizona), else the UTC offset at that moment ("UTC+1", "UTC+5:30").
/// Generic names (ET rather than EST/EDT) stay right on both sides of a clock change.
/// </summary>
public static class ZoneLabel
{
    private static readonly (string Label, string[] Ids)[] Names =
    [
        ("ET", ["America/New_York", "America/Detroit", "America/Toronto", "America/Montreal", "America/Nipigon", "America/Thunder_Bay",
            "America/Iqaluit", "America/Indiana/Indianapolis", "America/Indianapolis", "America/Indiana/Vincennes", "America/Indiana/Winamac",
            "America/Indiana/Marengo", "America/Indiana/Petersburg", "America/Indiana/Vevay", "America/Kentucky/Louisville",
            "America/Louisville", "America/Kentucky/Monticello", "US/Eastern", "US/Michigan", "Canada/Eastern", "EST5EDT"]),
        ("CT", ["America/Chicago", "America/Winnipeg", "America/Menominee", "America/Indiana/Knox", "America/Indiana/Tell_City",
            "America/North_Dakota/Center", "America/North_Dakota/New_Salem", "America/North_Dakota/Beulah", "America/Rankin_Inlet",
            "America/Resolute", "America/Rainy_River", "US/Central", "Canada/Central", "CST6CDT"]),
        ("MT", ["America/Denver", "America/Boise", "America/Edmonton", "America/Yellowknife", "America/Cambridge_Bay", "America/Inuvik",
            "US/Mountain", "Canada/Mountain", "MST7MDT"]),
        ("MST", ["America/Phoenix", "US/Arizona"]),
        ("PT", ["America/Los_Angeles", "America/Vancouver", "US/Pacific", "Canada/Pacific", "PST8PDT"]),
        ("AKT", ["America/Anchorage", "America/Juneau", "America/Sitka", "America/Metlakatla", "America/Nome", "America/Yakutat", "US/Alaska"]),
        ("HST", ["Pacific/Honolulu", "US/Hawaii"]),
        ("AST", ["America/Puerto_Rico"]),
    ];

    private static readonly Dictionary<string, string> Known =
        Names.SelectMany(n => n.Ids.Select(id => (id, n.Label))).ToDictionary(p => p.id, p => p.Label, StringComparer.OrdinalIgnoreCase);

    /// <summary>The label for <paramref name="zone"/> at the instant <paramref name="utc"/>.</summary>
    public static string For(TimeZoneInfo zone, DateTime utc)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var id = zone.HasIanaId || !TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? zone.Id : iana;
        if (Known.TryGetValue(id, out var known))
        {
            return known;
        }

        var offset = zone.GetUtcOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
        if (offset == TimeSpan.Zero)
        {
            return "UTC";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}")
            : string.Create(CultureInfo.InvariantCulture, $"UTC{sign}{abs.Hours}:{abs.Minutes:D2}");
    }
}
