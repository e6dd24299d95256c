using Parley.Agent.Rules;
using Parley.Booking;

namespace Parley.Agent;

/// <summary>
/// Where a turn meets the calendar. Before the model: a pick among offered times, a move or a cancel, or an ask for
/// times is read by Parley's own code. After it: a time the model agreed is booked only through
/// <see cref="CalendarBooking"/> (re-checked on the calendar), and a reply that asks "when?" offers free times instead.
/// </summary>
public static class CalendarTurn
{
    public static BookingIntent? ReadBeforeModel(AgentContext context, BookingState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        var intent = BookingReader.Read(context, state);
        var nameSettled = context.ContactFirstName is not null || context.ClientFirstName is not null || BurstReading.Read(context).AgentEverAskedName;
        return intent is OfferSlots && !nameSettled ? null : intent;
    }

    /// <summary>Only a change to the current booking: what a text may do while the agent is paused after booking.</summary>
    public static BookingIntent? ReadChange(AgentContext context, BookingState state) => BookingReader.ReadChange(context, state);

    /// <summary>The times the model may offer, as the texter reads them and as the tenant's wall-clock (callbackAt).</summary>
    public static IReadOnlyList<CalendarTime> Times(BookingState state, TimeZoneInfo tenantZone)
    {
        ArgumentNullException.ThrowIfNull(state);
        return [.. state.Spread(state.Free).Select(s => new CalendarTime(state.Say(s.StartUtc), TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, tenantZone)))];
    }

    public static TurnResult AfterModel(TurnResult result, BookingState state)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(state);
        var decision = result.Decision;
        if (decision.Outcome == AgentOutcome.AppointmentScheduled && result.CallbackAtUtc is { } utc)
        {
            var slot = new Slot(utc, utc.AddMinutes(state.Rules.SlotMinutes));
            return result with { Booking = new BookSlot(slot), Reply = null, CallbackAtUtc = null, CallbackAtLocal = null };
        }

        if (decision.Outcome == AgentOutcome.Ongoing && result.Reply is { } reply && AsksForTime(reply, state))
        {
            return result with { Booking = new OfferSlots(state.Spread(state.Free), Lead(reply, state)), Reply = null };
        }

        return result;
    }

    private static bool AsksForTime(string reply, BookingState state) =>
        Sentences(reply).Any(s => IntentClassifier.AsksForTime(TextNormalizer.Normalize(s)))
        || state.Spread(state.Free).Select(s => SlotText.Label(state.Local(s.StartUtc), state.LocalNow)).Any(l => reply.Contains(l, StringComparison.OrdinalIgnoreCase));

    /// <summary>What the reply said before asking "when?" ("Nice to meet you, Ana!"), kept in front of the offer.</summary>
    private static string? Lead(string reply, BookingState state)
    {
        var labels = state.Spread(state.Free).Select(s => SlotText.Label(state.Local(s.StartUtc), state.LocalNow)).ToList();
        var kept = Sentences(reply).Where(s => !IntentClassifier.AsksForTime(TextNormalizer.Normalize(s))
            && !labels.Any(l => s.Contains(l, StringComparison.OrdinalIgnoreCase)) && !s.Contains('?', StringComparison.Ordinal)).ToList();
        return kept.Count == 0 ? null : string.Join(' ', kept);
    }

    private static List<string> Sentences(string text)
    {
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || text[i + 1] == ' '))
            {
                sentences.Add(text[start..(i + 1)].Trim());
                start = i + 1;
            }
        }

        if (start < text.Length && text[start..].Trim() is { Length: > 0 } rest)
        {
            sentences.Add(rest);
        }

        return sentences;
    }
}
