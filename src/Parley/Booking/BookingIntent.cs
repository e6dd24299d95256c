namespace Parley.Booking;

/// <summary>What the texter's words ask of the calendar this turn. Read by Parley's own code (never the model's
/// prose) and carried out by <see cref="CalendarBooking"/>, which re-checks the calendar before it writes.</summary>
public abstract record BookingIntent;

/// <summary>Offer these free times (two or three), after <paramref name="Lead"/> when there is one.</summary>
public sealed record OfferSlots(IReadOnlyList<Slot> Slots, string? Lead = null) : BookingIntent;

/// <summary>Book this time, or move the current booking to it when there is one.</summary>
public sealed record BookSlot(Slot Slot) : BookingIntent;

/// <summary>Cancel the current booking.</summary>
public sealed record CancelBooking : BookingIntent;

/// <summary>The texter will be late for the booking: it stands, and the team is told. Read only while the agent is
/// paused after booking; never carried out on the calendar.</summary>
public sealed record RunningLate : BookingIntent;

/// <summary>The calendar as one turn sees it: free times read fresh from the server, in the texter's zone.</summary>
/// <param name="TexterZone">the contact's own zone, else their area code's, else the tenant's</param>
/// <param name="Free">free slots from now to the rules' horizon</param>
/// <param name="Offered">the times offered last, still open for "the second one"</param>
/// <param name="BookedUtc">the start of the conversation's current calendar booking, if any</param>
public sealed record BookingState(
    CalendarConnection Connection, BookingRules Rules, TimeZoneInfo TexterZone, DateTime NowUtc,
    IReadOnlyList<Slot> Free, IReadOnlyList<Slot> Offered, DateTime? BookedUtc)
{
    public DateTime LocalNow => TimeZoneInfo.ConvertTimeFromUtc(NowUtc, TexterZone);

    public DateTime Local(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(utc, TexterZone);

    /// <summary>"tomorrow 9am ET": a time as a text to this texter writes it.</summary>
    public string Say(DateTime utc) => SlotText.Label(utc, TexterZone, NowUtc);

    /// <summary>"1) today 9am, 2) today 12pm or 3) tomorrow 9am ET".</summary>
    public string SayChoices(IReadOnlyList<Slot> slots) => SlotText.Choices([.. slots.Select(s => s.StartUtc)], TexterZone, NowUtc);

    /// <summary>A slot of the rules' length starting at a local wall-clock time of the texter.</summary>
    public Slot SlotAt(DateTime local)
    {
        var wall = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        var start = TimeZoneInfo.ConvertTimeToUtc(TexterZone.IsInvalidTime(wall) ? wall.AddHours(1) : wall, TexterZone);
        return new Slot(start, start.AddMinutes(Rules.SlotMinutes));
    }

    /// <summary>Two or three free times spread out (a first, one a few hours later, one on another day), so one
    /// text gives a real choice.</summary>
    public IReadOnlyList<Slot> Spread(IEnumerable<Slot> candidates)
    {
        var list = candidates.ToList();
        var picks = new List<Slot>();
        if (list.Count == 0)
        {
            return picks;
        }

        picks.Add(list[0]);
        if (list.FirstOrDefault(s => s.StartUtc >= picks[0].StartUtc.AddHours(3)) is { StartUtc.Ticks: > 0 } second)
        {
            picks.Add(second);
            if (list.FirstOrDefault(s => Local(s.StartUtc).Date > Local(second.StartUtc).Date) is { StartUtc.Ticks: > 0 } third)
            {
                picks.Add(third);
            }
        }

        foreach (var s in list.Where(s => !picks.Contains(s)))
        {
            if (picks.Count >= 3)
            {
                break;
            }

            picks.Add(s);
        }

        return [.. picks.OrderBy(s => s.StartUtc)];
    }

    /// <summary>Free times nearest to a wanted one, for when it cannot be had.</summary>
    public IReadOnlyList<Slot> Nearest(DateTime wantedUtc, IReadOnlyList<Slot> free) =>
        [.. free.OrderBy(s => Math.Abs((s.StartUtc - wantedUtc).Ticks)).Take(3).OrderBy(s => s.StartUtc)];
}
