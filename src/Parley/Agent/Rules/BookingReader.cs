using System.Text.RegularExpressions;
using Parley.Booking;

namespace Parley.Agent.Rules;

/// <summary>
/// Reads a turn's texts for the calendar: with a booking, a cancel ("something came up, I can't do it") or a move
/// ("could we push it an hour later?", "can we do thursday instead"); with times on offer, which one the texter
/// chose; otherwise a wish for a call without a time, or a question about when, which gets free times offered.
/// Returns null when the text is not about booking, and the model answers it as usual.
/// </summary>
internal static partial class BookingReader
{
    public static BookingIntent? Read(AgentContext context, BookingState state)
    {
        var reading = BurstReading.Read(context);
        if (reading.Burst.Length == 0)
        {
            return null;
        }

        var text = reading.Text;
        if (state.BookedUtc is { } booked)
        {
            // Being late never cancels or moves the booking; with the agent active, the model answers it.
            var (said, burst) = (Unnegated(text), Unnegated(reading.Burst));
            var change = SlotWish.Read(burst, state.LocalNow);
            return RunsLate(said, burst, change) ? null : ReadChange(state, booked, said, change);
        }

        var wish = SlotWish.Read(reading.Burst, state.LocalNow);

        if (state.Offered.Count > 0 && Choose(state, wish) is { } chosen)
        {
            return chosen;
        }

        if (IntentClassifier.DeclinesTime(text) && !wish.Narrows)
        {
            return state.Offered.Count > 0 ? Offer(state, state.Free.Where(s => !state.Offered.Contains(s)), "No problem.") : null;
        }

        if (wish.Narrows && wish.Clock is null && (state.Offered.Count > 0 || IntentClassifier.AsksForTime(reading.LastAgentText) || AsksWhen(text)))
        {
            return Offer(state, state.Free.Where(s => wish.Fits(state.Local(s.StartUtc))), null, NothingThen(state));
        }

        if (wish.Clock is not null && state.Offered.Count > 0)
        {
            return Exact(state, wish);
        }

        return AsksWhen(text) && wish.Clock is null ? Offer(state, state.Free, null) : null;
    }

    /// <summary>Only a booking change, or word that the texter is running late: what may reach the agent while it
    /// is paused after booking.</summary>
    public static BookingIntent? ReadChange(AgentContext context, BookingState state)
    {
        var reading = BurstReading.Read(context);
        if (reading.Burst.Length == 0 || state.BookedUtc is not { } booked)
        {
            return null;
        }

        var (text, burst) = (Unnegated(reading.Text), Unnegated(reading.Burst));
        var wish = SlotWish.Read(burst, state.LocalNow);
        return RunsLate(text, burst, wish) ? new RunningLate() : ReadChange(state, booked, text, wish);
    }

    /// <summary>The words without "don't cancel", "no need to move it": a change turned down is no change.</summary>
    private static string Unnegated(string text) => NegatedChange().Replace(text, " ");

    /// <summary>"running 10 min late", "stuck in traffic": the booking stands and the team hears of it. A plain ask
    /// to cancel ("running late, just cancel it") wins over being late, and a move with a new time ("call me at 3:15
    /// instead?", "can we push it 30 min") makes it a move.</summary>
    private static bool RunsLate(string text, string burst, SlotWish wish) =>
        LateWords().IsMatch(text)
        && !ExplicitCancelWords().IsMatch(text)
        && !RescheduleWords().IsMatch(text)
        && !(wish.Shift is not null && PushWords().IsMatch(text))
        && !(wish.Clock is not null && (IntentClassifier.IsQuestion(text, burst) || CallMeAt().IsMatch(text)));

    private static BookingIntent? ReadChange(BookingState state, DateTime bookedUtc, string text, SlotWish wish)
    {
        var moving = MoveWords().IsMatch(text) || wish.Shift is not null;
        if (wish.Shift is { } shift)
        {
            return new BookSlot(new Slot(bookedUtc + shift, bookedUtc + shift + TimeSpan.FromMinutes(state.Rules.SlotMinutes)));
        }

        if (state.Offered.Count > 0 && Choose(state, wish) is { } chosen)
        {
            return chosen;
        }

        // "not gonna make it tomorrow" names the booked day: still a cancel, not a wish for another time.
        var elsewhere = wish.Clock is not null || wish.After is not null || wish.Before is not null
            || (wish.Day is { } named && named.Date != state.Local(bookedUtc).Date);
        if (!moving && CancelWords().IsMatch(text) && !elsewhere)
        {
            return new CancelBooking();
        }

        if (!moving && !wish.Narrows)
        {
            return null;
        }

        if (!moving && !CancelWords().IsMatch(text) && !IntentClassifier.IsQuestion(text, text) && wish.Day is null)
        {
            return null; // "see you at 3!" is no move
        }

        var booked = state.Local(bookedUtc);
        if (wish.Clock is { } clock)
        {
            var day = wish.Day ?? booked.Date;
            return new BookSlot(state.SlotAt(day + clock.ToTimeSpan()));
        }

        if (wish.Day is { } onlyDay && wish.After is null && wish.Before is null
            && state.Free.FirstOrDefault(s => state.Local(s.StartUtc) == onlyDay + booked.TimeOfDay) is { StartUtc.Ticks: > 0 } sameTime)
        {
            return new BookSlot(sameTime);
        }

        var others = state.Free.Where(s => s.StartUtc != bookedUtc);
        return wish.Narrows
            ? Offer(state, others.Where(s => wish.Fits(state.Local(s.StartUtc))), null, NothingThen(state))
            : Offer(state, others, "No problem.");
    }

    /// <summary>The texter's pick among the offered times, or a time the offer did not hold.</summary>
    private static BookSlot? Choose(BookingState state, SlotWish wish)
    {
        var offered = state.Offered;
        if (wish.Choice is { } choice)
        {
            var index = choice == SlotWish.Last ? offered.Count - 1 : choice - 1;
            return index >= 0 && index < offered.Count ? new BookSlot(offered[index]) : null;
        }

        if (wish.Narrows)
        {
            var fitting = offered.Where(s => wish.Fits(state.Local(s.StartUtc))).ToList();
            if (fitting.Count > 0)
            {
                return new BookSlot(fitting[0]);
            }

            return wish.Clock is not null ? Exact(state, wish) : null;
        }

        return wish.AnyOfThem ? new BookSlot(offered[0]) : null;
    }

    /// <summary>A clock time (on a named day, else the offered day, else the next such time): booked if free,
    /// else <see cref="CalendarBooking"/> offers the nearest free times.</summary>
    private static BookSlot Exact(BookingState state, SlotWish wish)
    {
        var now = state.LocalNow;
        var day = wish.Day ?? (state.Offered.Count > 0 ? state.Local(state.Offered[0].StartUtc).Date : now.Date);
        var at = day + wish.Clock!.Value.ToTimeSpan();
        if (at <= now)
        {
            at = at.AddDays(1);
        }

        return new BookSlot(state.SlotAt(at));
    }

    private static OfferSlots Offer(BookingState state, IEnumerable<Slot> candidates, string? lead, string? whenNone = null)
    {
        var picks = state.Spread(candidates);
        return picks.Count > 0 || whenNone is null
            ? new OfferSlots(picks.Count > 0 ? picks : state.Spread(state.Free), lead)
            : new OfferSlots(state.Spread(state.Free), whenNone);
    }

    private static string NothingThen(BookingState state) => "Sorry, I have nothing open then.";

    private static bool AsksWhen(string text) => AsksWhenWords().IsMatch(text);

    [GeneratedRegex(@"\b(?:when (?:are|r|is|can|could|would|will|do|should)|what (?:times?|days?|slots?|openings?|hours|availability)|which (?:times?|days?)|(?:your|any|the) availability|available times|any openings|open slots|whens good|when works|what works|what do you have|what have you got|when can we|set (?:up|something up) a (?:call|time)|book (?:a|me in|me for)|schedule (?:a|the|me)|call me|give me a call|ring me|can you call|could you call|whenever|any ?time|im flexible|i am flexible|im free|free to talk)\b")]
    private static partial Regex AsksWhenWords();

    [GeneratedRegex(@"\b(?:(?:running|run|be|being|im|am|is|bit|little|tad|touch|slightly|few|min|mins|minute|minutes|\d+|five|ten|fifteen|twenty|thirty|half an hour|an hour) late|late by|(?:running|bit|little|few minutes|minutes|mins) behind|behind schedule|(?:stuck|caught|sitting|held up) in traffic|(?:hit|hitting|hit some|bad|heavy|awful|terrible|crazy|insane) traffic|traffic is (?:bad|awful|terrible|crazy|insane|nuts|brutal)|got held up|been held up|am held up|im held up|running behind|later than (?:planned|expected|i said|i thought|we said)|(?:cant|cannot|wont|not gonna|not going to|might not|may not) (?:make it|be there|get there) (?:on time|in time))\b")]
    private static partial Regex LateWords();

    [GeneratedRegex(@"\b(?:cancel\w*|call it off|call off|no longer need|dont need the call|(?:scrap|scratch|nix|skip|drop) (?:it|the call|our call|the appointment|this one|that|today))\b")]
    private static partial Regex ExplicitCancelWords();

    [GeneratedRegex(@"\b(?:don[’']?t|do not|no need to|not|never|won[’']?t|without)\s+(?:\w+\s+)?(?:cancel\w*|mov\w*|reschedul\w*|push\w*|chang\w*|bump\w*)\b(?:\s+(?:it|the call|that|this|anything))?", RegexOptions.IgnoreCase)]
    private static partial Regex NegatedChange();

    [GeneratedRegex(@"\b(?:push|move|bump|shift|slide)\b")]
    private static partial Regex PushWords();

    [GeneratedRegex(@"\b(?:reschedul\w*|resched|instead|another (?:time|day)|different (?:time|day)|other (?:time|day)|rain ?check|how about|what about|can we do|could we do|can we make it|could we make it|(?:move|push|bump) (?:it|the call|our call|the appointment|that|this))\b")]
    private static partial Regex RescheduleWords();

    [GeneratedRegex(@"\b(?:call|ring|phone) me (?:at|around)\b")]
    private static partial Regex CallMeAt();

    [GeneratedRegex(@"\b(?:cancel\w*|cant make it|cannot make it|can not make it|cant do it|cannot do it|can not do it|cant do that|wont make it|wont be able to make it|will not make it|not going to make it|not gonna make it|unable to make it|cant make the call|cant do the call|something came up|something has come up|call it off|have to bail|need to bail|gotta bail|no longer need|dont need the call|drop the call|not going to work|wont work out|cant anymore|cant do (?:it|that|the) ?(?:call|appointment|time)?|call off|(?:scrap|scratch|nix|skip|drop) (?:it|the call|our call|the appointment|this one|that|today))\b")]
    private static partial Regex CancelWords();

    [GeneratedRegex(@"\b(?:reschedul\w*|resched|move (?:it|the call|our call|the appointment|that|this)|push (?:it|the call|that|this|things)|bump (?:it|the call)|instead|another (?:time|day)|different (?:time|day)|other (?:time|day)|change (?:the|our) (?:time|call|appointment)|later time|earlier time|a bit later|a little later|little bit later|bit earlier|a little earlier|rain check|raincheck|can we do|could we do|how about|what about|(?:can|could) (?:we|you) make it|lets make it)\b")]
    private static partial Regex MoveWords();
}
