using Parley.Agent;
using Parley.Agent.Rules;
using Parley.Booking;

namespace Parley.Tests.Agent;

/// <summary>How a texter's words change a booking on the calendar, read without a model: moves, cancels, and
/// texts that are about something else.</summary>
public sealed class BookingReaderTests
{
    private static readonly TimeZoneInfo Toronto = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");

    /// <summary>Monday 14 December 2026, 08:30 in Toronto; a call booked for Tuesday at 9:00.</summary>
    private static readonly DateTime NowUtc = new(2026, 12, 14, 13, 30, 0, DateTimeKind.Utc);

    private static readonly DateTime BookedLocal = new(2026, 12, 15, 9, 0, 0);

    private static BookingState State()
    {
        var connection = new CalendarConnection
        {
            CaldavUrl = "https://cal.example.com/c/",
            Username = "u",
            ProtectedPassword = "",
            TimeZone = "America/Toronto",
            HoursJson = BusinessHours.Serialize(BusinessHours.Default),
        };
        var rules = BookingRules.Of(connection);
        var booked = TimeZoneInfo.ConvertTimeToUtc(BookedLocal, Toronto);
        var free = FreeSlots.Compute(rules, [new Busy(booked, booked.AddMinutes(30))], NowUtc, NowUtc.AddDays(14), NowUtc);
        return new BookingState(connection, rules, Toronto, NowUtc, free, [], booked);
    }

    private static BookingIntent? Read(string text) =>
        CalendarTurn.ReadChange(Chat.Context([(Speaker.Agent, "Perfect, Dana! You're booked for a call tomorrow 9am. Talk soon!"), (Speaker.Contact, text)]), State());

    private static DateTime LocalStart(BookingIntent? intent) =>
        TimeZoneInfo.ConvertTimeFromUtc(Assert.IsType<BookSlot>(intent).Slot.StartUtc, Toronto);

    [Theory]
    [InlineData("could we push it an hour later?", 1, 10, 0)]
    [InlineData("Can we push it back 30 min", 1, 9, 30)]
    [InlineData("can we push it back by an hour please", 1, 10, 0)]
    [InlineData("Could we do it half an hour later?", 1, 9, 30)]
    [InlineData("can we move it up an hour", 1, 8, 0)]
    [InlineData("any way we could do thursday instead?", 3, 9, 0)]
    [InlineData("something came up, can we do wednesday instead", 2, 9, 0)]
    [InlineData("can we move it to 2pm?", 1, 14, 0)]
    [InlineData("Could we do friday at 11 instead", 4, 11, 0)]
    public void A_move_names_the_new_time(string text, int day, int hour, int minute) =>
        Assert.Equal(new DateTime(2026, 12, 14).AddDays(day).AddHours(hour).AddMinutes(minute), LocalStart(Read(text)));

    [Theory]
    [InlineData("something came up, I can't do it")]
    [InlineData("need to cancel")]
    [InlineData("Sorry, I won't be able to make it after all")]
    [InlineData("Please cancel the call")]
    [InlineData("cant make it anymore sorry")]
    [InlineData("Hey, something has come up, I'm going to have to cancel")]
    [InlineData("not gonna make it tomorrow, sorry")]
    public void A_cancel_without_a_new_time_cancels(string text) => Assert.IsType<CancelBooking>(Read(text));

    [Theory]
    [InlineData("I can't make it, can we reschedule?")]
    [InlineData("can we pick another time?")]
    [InlineData("Need to reschedule")]
    public void A_move_without_a_time_offers_other_times(string text)
    {
        var offer = Assert.IsType<OfferSlots>(Read(text));
        Assert.InRange(offer.Slots.Count, 2, 3);
        Assert.DoesNotContain(offer.Slots, s => TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, Toronto) == BookedLocal);
    }

    [Theory]
    [InlineData("great, see you then!")]
    [InlineData("thanks!")]
    [InlineData("what number will you be calling from?")]
    [InlineData("ok see you at 9")]
    [InlineData("Sounds good, talk later")]
    public void Other_texts_do_not_touch_the_booking(string text) => Assert.Null(Read(text));

    [Theory]
    [InlineData("running really late, cancel it")]
    [InlineData("I'm late, can we just cancel")]
    [InlineData("stuck in traffic, let's cancel")]
    [InlineData("So sorry, running super late. Just cancel the call")]
    [InlineData("traffic is insane, lets call it off")]
    [InlineData("I'm going to be really late so let's just cancel")]
    [InlineData("running late and honestly I need to cancel, sorry")]
    [InlineData("Held up at work, please cancel")]
    [InlineData("running late, cancel please")]
    [InlineData("late again sorry. can we just cancel this one")]
    [InlineData("Running behind, forget it, cancel")]
    [InlineData("gonna be way late, better cancel")]
    [InlineData("running late... actually nvm just cancel the appointment")]
    [InlineData("Stuck in traffic and won't make it at all, cancel it")]
    [InlineData("I'm running behind, let's scrap the call")]
    [InlineData("running so late it's not worth it, cancel")]
    public void Late_with_an_explicit_cancel_cancels(string text) => Assert.IsType<CancelBooking>(Read(text));

    [Theory]
    [InlineData("running late, can we push it 30 min", 1, 9, 30)]
    [InlineData("Running late, could we push it back an hour?", 1, 10, 0)]
    [InlineData("stuck in traffic, can we do 9:30 instead", 1, 9, 30)]
    [InlineData("I'm running behind, can we bump it 15 minutes?", 1, 9, 15)]
    [InlineData("running late, push it to 10?", 1, 10, 0)]
    [InlineData("gonna be late, can we make it 10am", 1, 10, 0)]
    [InlineData("running 20 late, can we move it to 9:30", 1, 9, 30)]
    [InlineData("late sorry, can you call me at 10 instead", 1, 10, 0)]
    [InlineData("Traffic is awful, could we push the call back 45 minutes?", 1, 9, 45)]
    [InlineData("running behind, push it an hour please", 1, 10, 0)]
    public void Late_with_a_new_time_moves(string text, int day, int hour, int minute) =>
        Assert.Equal(new DateTime(2026, 12, 14).AddDays(day).AddHours(hour).AddMinutes(minute), LocalStart(Read(text)));

    [Theory]
    [InlineData("running 10 min late, don't cancel!")]
    [InlineData("please don't cancel, I'll be 5 minutes late")]
    [InlineData("Running late but no need to cancel, be there soon")]
    [InlineData("stuck in traffic, not cancelling, just a few min behind")]
    [InlineData("I'm late, no need to move it, just a couple of minutes")]
    [InlineData("running a bit behind, still on for 9")]
    [InlineData("stuck in traffic, be there asap")]
    [InlineData("Sorry running a little late!")]
    public void Late_without_a_change_stays_late(string text) => Assert.IsType<RunningLate>(Read(text));
}
