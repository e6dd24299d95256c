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
}
