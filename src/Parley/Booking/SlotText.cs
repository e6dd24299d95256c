using System.Globalization;
using System.Text.Json;

namespace Parley.Booking;

/// <summary>How times are written to a texter ("today 2pm ET", "Wed 10:30am PT", "Mon Dec 21 9am UTC+1"), and how
/// offered times are kept on the conversation. A text always names the zone: the texter may not live in the
/// business's.</summary>
public static class SlotText
{
    /// <summary>"tomorrow 9am ET": the time as the texter reads it in <paramref name="zone"/>, with the zone.</summary>
    public static string Label(DateTime utc, TimeZoneInfo zone, DateTime nowUtc) =>
        $"{Label(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone))} {ZoneLabel.For(zone, utc)}";

    /// <summary>"1) today 9am, 2) today 12pm or 3) tomorrow 9am ET": the zone once at the end when the times share
    /// it, else after each (times on both sides of a clock change abroad).</summary>
    public static string Choices(IReadOnlyList<DateTime> startsUtc, TimeZoneInfo zone, DateTime nowUtc)
    {
        var zones = startsUtc.Select(utc => ZoneLabel.For(zone, utc)).ToList();
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(nowUtc, zone);
        var labels = startsUtc.Select(utc => Label(TimeZoneInfo.ConvertTimeFromUtc(utc, zone), localNow)).ToList();
        return zones.Distinct().Count() == 1
            ? $"{Choices(labels)} {zones[0]}"
            : Choices([.. labels.Select((l, i) => $"{l} {zones[i]}")]);
    }

    /// <summary>"today 2pm": the time without its zone, as the texter's own words or the model's reply may carry it.</summary>
    public static string Label(DateTime local, DateTime localNow)
    {
        var day = local.Date == localNow.Date ? "today"
            : local.Date == localNow.Date.AddDays(1) ? "tomorrow"
            : local.Date < localNow.Date.AddDays(7) ? local.ToString("ddd", CultureInfo.InvariantCulture)
            : local.ToString("ddd MMM d", CultureInfo.InvariantCulture);
        var clock = local.ToString(local.Minute == 0 ? "htt" : "h:mmtt", CultureInfo.InvariantCulture).ToLowerInvariant();
        return $"{day} {clock}";
    }

    /// <summary>"1) today 2pm, 2) tomorrow 9am or 3) Wed 10:30am": numbered, so "2" and "#2" are read as choices.</summary>
    public static string Choices(IReadOnlyList<string> labels) => labels.Count switch
    {
        0 => "",
        1 => labels[0],
        _ => string.Join(", ", labels.Take(labels.Count - 1).Select((l, i) => $"{i + 1}) {l}")) + $" or {labels.Count}) {labels[^1]}",
    };

    public static string? Serialize(IReadOnlyList<Slot> slots) =>
        slots.Count == 0 ? null : JsonSerializer.Serialize(slots.Select(s => new[] { s.StartUtc, s.EndUtc }));

    public static IReadOnlyList<Slot> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            return [.. (JsonSerializer.Deserialize<DateTime[][]>(json) ?? []).Where(p => p.Length == 2)
                .Select(p => new Slot(DateTime.SpecifyKind(p[0], DateTimeKind.Utc), DateTime.SpecifyKind(p[1], DateTimeKind.Utc)))];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
