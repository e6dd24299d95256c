using Ical.Net;
using Ical.Net.DataTypes;

namespace Parley.Booking;

/// <summary>A busy stretch of the calendar, in UTC.</summary>
public readonly record struct Busy(DateTime StartUtc, DateTime EndUtc);

/// <summary>
/// Reads busy times out of calendar objects with Ical.Net: recurring events expanded with their exceptions
/// (EXDATE, and RECURRENCE-ID overrides in the same object), all-day and floating times taken in the
/// calendar's own zone. Transparent ("free") and cancelled events do not block.
/// </summary>
public static class BusyTimes
{
    public static List<Busy> Read(IEnumerable<string> icsObjects, DateTime fromUtc, DateTime toUtc, TimeZoneInfo zone)
    {
        var busy = new List<Busy>();
        foreach (var ics in icsObjects)
        {
            Ical.Net.Calendar? calendar;
            try
            {
                calendar = Ical.Net.Calendar.Load(ics);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException or OverflowException)
            {
                continue; // one unreadable object must not hide the rest of the calendar
            }

            if (calendar is null)
            {
                continue;
            }

            // Start a day early: an occurrence that began before the range can still overlap it.
            var start = new CalDateTime(fromUtc.AddDays(-1), "UTC");
            var end = new CalDateTime(toUtc, "UTC");
            foreach (var occurrence in calendar.GetOccurrences(start).TakeWhileBefore(end))
            {
                if (occurrence.Source is not Ical.Net.CalendarComponents.CalendarEvent ev
                    || string.Equals(ev.Transparency, "TRANSPARENT", StringComparison.OrdinalIgnoreCase)
                    || string.Equals(ev.Status, "CANCELLED", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var from = Utc(occurrence.Period.StartTime, zone);
                var until = Utc(occurrence.Period.EffectiveEndTime ?? occurrence.Period.StartTime.AddDays(occurrence.Period.StartTime.HasTime ? 0 : 1), zone);
                if (until <= from)
                {
                    until = from.AddMinutes(occurrence.Period.StartTime.HasTime ? 0 : 24 * 60);
                }

                if (from < toUtc && until > fromUtc)
                {
                    busy.Add(new Busy(from, until));
                }
            }
        }

        busy.Sort((a, b) => a.StartUtc.CompareTo(b.StartUtc));
        return busy;
    }

    private static DateTime Utc(CalDateTime time, TimeZoneInfo zone)
    {
        if (time.IsFloating || !time.HasTime)
        {
            var local = DateTime.SpecifyKind(time.Value, DateTimeKind.Unspecified);
            return TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(local) ? local.AddHours(1) : local, zone);
        }

        return DateTime.SpecifyKind(time.AsUtc, DateTimeKind.Utc);
    }
}
