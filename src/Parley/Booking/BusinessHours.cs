using System.Globalization;
using System.Text.Json;

namespace Parley.Booking;

/// <summary>One weekday's opening hours, as "HH:mm" local times.</summary>
public sealed record DayHours(DayOfWeek Day, string Start, string End)
{
    public TimeOnly Opens => TimeOnly.ParseExact(Start, "HH:mm", CultureInfo.InvariantCulture);

    public TimeOnly Closes => TimeOnly.ParseExact(End, "HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>The weekdays the business takes calls, and when; a day that is missing is closed.</summary>
public static class BusinessHours
{
    public static readonly IReadOnlyList<DayHours> Default =
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }.Select(d => new DayHours(d, "09:00", "17:00"))];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static string Serialize(IReadOnlyList<DayHours> hours) => JsonSerializer.Serialize(hours, Json);

    public static IReadOnlyList<DayHours> Read(string json) => JsonSerializer.Deserialize<List<DayHours>>(json, Json) ?? [];

    /// <summary>Why the hours cannot be used, or null: each day at most once, times as HH:mm, opening before closing.</summary>
    public static string? Problem(IReadOnlyList<DayHours> hours)
    {
        if (hours.Select(h => h.Day).Distinct().Count() != hours.Count)
        {
            return "Each weekday may appear only once.";
        }

        foreach (var h in hours)
        {
            if (!Enum.IsDefined(h.Day)
                || !TimeOnly.TryParseExact(h.Start ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)
                || !TimeOnly.TryParseExact(h.End ?? "", "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes))
            {
                return "Each day needs a weekday name and start and end times as HH:mm (e.g. 09:00 and 17:00).";
            }

            if (opens >= closes)
            {
                return $"On {h.Day} the start ({h.Start}) must be before the end ({h.End}).";
            }
        }

        return null;
    }
}
