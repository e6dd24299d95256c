namespace Parley.Booking;

/// <summary>A bookable time, in UTC.</summary>
public readonly record struct Slot(DateTime StartUtc, DateTime EndUtc);

/// <summary>The business's rules for booking: when it takes calls, for how long, with what gap, how far ahead.</summary>
public sealed record BookingRules(TimeZoneInfo Zone, IReadOnlyList<DayHours> Hours, int SlotMinutes, int BufferMinutes, int DaysAhead)
{
    public static BookingRules Of(CalendarConnection connection) => new(
        TimeZoneInfo.FindSystemTimeZoneById(connection.TimeZone), BusinessHours.Read(connection.HoursJson),
        connection.SlotMinutes, connection.BufferMinutes, connection.DaysAhead);

    /// <summary>Whether a slot of the rules' length starting then lies inside one day's business hours.</summary>
    public bool InsideHours(DateTime startUtc)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(startUtc, Zone);
        var end = local.AddMinutes(SlotMinutes);
        return end.Date == local.Date
            && Hours.Any(h => h.Day == local.DayOfWeek && TimeOnly.FromDateTime(local) >= h.Opens && TimeOnly.FromDateTime(end) <= h.Closes);
    }
}

/// <summary>Free slots: business hours cut into slots, minus every busy time widened by the buffer, never in the
/// past and never further ahead than the rules allow.</summary>
public static class FreeSlots
{
    public static List<Slot> Compute(BookingRules rules, IReadOnlyList<Busy> busy, DateTime fromUtc, DateTime toUtc, DateTime nowUtc)
    {
        var start = fromUtc < nowUtc ? nowUtc : fromUtc;
        var limit = nowUtc.AddDays(rules.DaysAhead);
        var end = toUtc > limit ? limit : toUtc;
        var slots = new List<Slot>();
        if (end <= start || rules.SlotMinutes <= 0)
        {
            return slots;
        }

        var length = TimeSpan.FromMinutes(rules.SlotMinutes);
        var day = TimeZoneInfo.ConvertTimeFromUtc(start, rules.Zone).Date;
        var lastDay = TimeZoneInfo.ConvertTimeFromUtc(end, rules.Zone).Date;
        for (; day <= lastDay; day = day.AddDays(1))
        {
            foreach (var hours in rules.Hours.Where(h => h.Day == day.DayOfWeek))
            {
                for (var local = day + hours.Opens.ToTimeSpan(); local + length <= day + hours.Closes.ToTimeSpan(); local += length)
                {
                    if (rules.Zone.IsInvalidTime(local))
                    {
                        continue;
                    }

                    var slotStart = TimeZoneInfo.ConvertTimeToUtc(local, rules.Zone);
                    var slot = new Slot(slotStart, slotStart + length);
                    if (slot.StartUtc >= start && slot.EndUtc <= end && IsFree(slot, busy, rules.BufferMinutes))
                    {
                        slots.Add(slot);
                    }
                }
            }
        }

        return slots;
    }

    public static bool IsFree(Slot slot, IReadOnlyList<Busy> busy, int bufferMinutes)
    {
        var buffer = TimeSpan.FromMinutes(bufferMinutes);
        return !busy.Any(b => b.StartUtc < slot.EndUtc + buffer && b.EndUtc > slot.StartUtc - buffer);
    }
}
