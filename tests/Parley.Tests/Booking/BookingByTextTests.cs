using System.Globalization;
using System.Text.Json.Nodes;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Booking;

/// <summary>The agent books on the business's real calendar by text: it offers free times, reads the texter's pick,
/// re-checks the calendar before it writes, and moves or cancels the event when asked.</summary>
public sealed class BookingByTextTests(BookingApp fixture) : IClassFixture<BookingApp>
{
    private const string Offered = "1) today 9am, 2) today 12pm or 3) tomorrow 9am ET";

    private static DateTime Local(int dayOffset, int hour, int minute = 0) => BookingApp.Today.AddDays(dayOffset).AddHours(hour).AddMinutes(minute);

    private static DateTime CallbackAt(JsonNode callback) =>
        DateTimeOffset.Parse(callback["callbackAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).DateTime;

    private static DateTime Start(Ical.Net.CalendarComponents.CalendarEvent ev) =>
        TimeZoneInfo.ConvertTimeFromUtc(ev.DtStart!.AsUtc, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"));

    private static async Task AssertBookedAsync(Booker booker, DateTime local, string status = "Booked")
    {
        var events = await booker.EventsAsync();
        var ev = Assert.Single(events);
        Assert.Equal(local, Start(ev));
        Assert.Contains("Dana", ev.Summary, StringComparison.Ordinal);
        Assert.Contains(booker.Contact, ev.Summary, StringComparison.Ordinal);
        Assert.Contains($"/conversations/{booker.ConversationId}", ev.Description, StringComparison.Ordinal);

        var callback = Assert.Single(await booker.CallbacksAsync());
        Assert.Equal(local, CallbackAt(callback));
        Assert.Equal(status, callback["status"]!.GetValue<string>());
        Assert.Equal(ev.Uid, callback["eventUid"]!.GetValue<string>());
        Assert.Equal("AppointmentScheduled", (await booker.ConversationAsync())["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Hi, this is Dana. I saw the listing on Elm St, could you give me a call?")]
    [InlineData("hey its Dana, when are you guys free to chat about the condo?")]
    [InlineData("Dana here. What times do you have for a call this week?")]
    public async Task A_texter_who_wants_a_call_is_offered_three_free_times_in_one_text(string opening)
    {
        var booker = await fixture.BookerAsync();
        var offer = await booker.GetOfferAsync(opening);

        Assert.Contains(Offered, offer, StringComparison.Ordinal);
        Assert.True(offer.Length <= 160, offer);
        Assert.Empty(await booker.EventsAsync());
        Assert.Empty(await booker.CallbacksAsync());
    }

    [Theory]
    [InlineData("the second one", 0, 12, 0)]
    [InlineData("2", 0, 12, 0)]
    [InlineData("#2", 0, 12, 0)]
    [InlineData("Second works for me", 0, 12, 0)]
    [InlineData("noon works", 0, 12, 0)]
    [InlineData("first is good", 0, 9, 0)]
    [InlineData("1 please", 0, 9, 0)]
    [InlineData("Either works!", 0, 9, 0)]
    [InlineData("whichever is easiest for you", 0, 9, 0)]
    [InlineData("tomorrow morning is better", 1, 9, 0)]
    [InlineData("Let's do the 9am tomorrow", 1, 9, 0)]
    [InlineData("last one please", 1, 9, 0)]
    [InlineData("Could you do tuesday at 10 instead?", 1, 10, 0)]
    [InlineData("How about 3:30 today?", 0, 15, 30)]
    [InlineData("the 12pm", 0, 12, 0)]
    public async Task The_texters_pick_is_booked_on_the_calendar_confirmed_and_recorded(string answer, int day, int hour, int minute)
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();

        var confirmation = await booker.TextAsync(answer);

        Assert.True(confirmation is not null, (await booker.ActivityAsync()).ToJsonString());
        Assert.Contains("booked", confirmation, StringComparison.OrdinalIgnoreCase);
        await AssertBookedAsync(booker, Local(day, hour, minute));
    }

    [Fact]
    public async Task A_time_taken_on_the_calendar_between_offer_and_answer_is_not_booked_and_alternatives_are_offered()
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();
        await booker.BusyAsync("owner-lunch", Local(0, 12), 60);

        var reply = await booker.TextAsync("the second one");

        Assert.NotNull(reply);
        Assert.Contains("no longer free", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("12pm", reply.Replace("today 12pm ET is no longer free", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(["owner-lunch"], (await booker.EventsAsync()).Select(e => e.Uid));
        Assert.Empty(await booker.CallbacksAsync());

        // The alternatives are real choices: the first of them books.
        Assert.Contains("booked", await booker.TextAsync("ok the first one then"), StringComparison.OrdinalIgnoreCase);
        var events = await booker.EventsAsync();
        Assert.Equal(2, events.Count);
        var booked = Assert.Single(await booker.CallbacksAsync());
        Assert.NotEqual(Local(0, 12), CallbackAt(booked));
        Assert.Contains(events, e => e.Uid == booked["eventUid"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("any time after 5?", "nothing open")]
    [InlineData("can we do saturday at 10am", "outside our hours")]
    [InlineData("How about 7pm tonight?", "outside our hours")]
    public async Task A_time_outside_business_hours_gets_alternatives_and_books_nothing(string answer, string says)
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();

        var reply = await booker.TextAsync(answer);

        Assert.NotNull(reply);
        Assert.Contains(says, reply, StringComparison.Ordinal);
        Assert.Contains("1) ", reply, StringComparison.Ordinal);
        Assert.Empty(await booker.EventsAsync());
        Assert.Empty(await booker.CallbacksAsync());
    }

    [Theory]
    [InlineData("could we push it an hour later?", 1, 10, 0)]
    [InlineData("Can we push it back 30 min", 1, 9, 30)]
    [InlineData("something came up, can we do thursday instead", 3, 9, 0)]
    [InlineData("Could we do 2pm instead?", 1, 14, 0)]
    [InlineData("any chance we can move it to wednesday at 11?", 2, 11, 0)]
    public async Task Moving_by_text_moves_the_event_and_frees_the_old_time(string ask, int day, int hour, int minute)
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();
        await booker.TextAsync("tomorrow morning works");
        await AssertBookedAsync(booker, Local(1, 9));

        var reply = await booker.TextAsync(ask);

        Assert.NotNull(reply);
        Assert.Contains("moved", reply, StringComparison.OrdinalIgnoreCase);
        await AssertBookedAsync(booker, Local(day, hour, minute), "Moved");
        var slots = await booker.Tenant.Http.GetJsonAsync(
            $"/api/calendar/slots?from={Uri.EscapeDataString(new DateTimeOffset(Local(1, 9), TimeSpan.FromHours(-5)).ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(new DateTimeOffset(Local(1, 10), TimeSpan.FromHours(-5)).ToString("O", CultureInfo.InvariantCulture))}");
        Assert.NotEmpty(slots.AsArray()); // the old time is free again
    }

    [Fact]
    public async Task Asking_to_reschedule_without_a_time_offers_times_and_the_pick_moves_the_event()
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();
        await booker.TextAsync("first is good");
        await AssertBookedAsync(booker, Local(0, 9));

        var offer = await booker.TextAsync("I can't make it, can we reschedule?");
        Assert.NotNull(offer);
        Assert.Contains("1) ", offer, StringComparison.Ordinal);
        Assert.Single(await booker.EventsAsync());

        Assert.Contains("moved", await booker.TextAsync("the last one"), StringComparison.OrdinalIgnoreCase);
        var moved = Assert.Single(await booker.CallbacksAsync());
        Assert.Equal("Moved", moved["status"]!.GetValue<string>());
        Assert.NotEqual(Local(0, 9), CallbackAt(moved));
    }

    [Theory]
    [InlineData("something came up, I can't do it")]
    [InlineData("need to cancel")]
    [InlineData("Sorry, I won't be able to make it after all")]
    [InlineData("Please cancel the call")]
    public async Task Cancelling_by_text_deletes_the_event_and_hands_the_conversation_to_the_team(string ask)
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();
        await booker.TextAsync("the second one");
        await AssertBookedAsync(booker, Local(0, 12));

        var reply = await booker.TextAsync(ask);

        Assert.NotNull(reply);
        Assert.Contains("cancelled", reply, StringComparison.Ordinal);
        Assert.Empty(await booker.EventsAsync());
        var callback = Assert.Single(await booker.CallbacksAsync());
        Assert.Equal("Cancelled", callback["status"]!.GetValue<string>());
        var conversation = await booker.ConversationAsync();
        Assert.NotEqual("AppointmentScheduled", conversation["outcome"]?.GetValue<string>());
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
    }

    [Fact]
    public async Task After_booking_other_texts_stay_with_the_team()
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();
        await booker.TextAsync("2");
        await AssertBookedAsync(booker, Local(0, 12));

        Assert.Null(await booker.TextAsync("great, thanks! see you at noon"));
        await AssertBookedAsync(booker, Local(0, 12));
    }

    [Fact]
    public async Task One_tenants_booking_never_lands_in_another_tenants_calendar()
    {
        var alice = await fixture.BookerAsync(user: 0);
        var bob = await fixture.BookerAsync(user: 1);
        await alice.GetOfferAsync();
        await alice.TextAsync("the second one");

        await AssertBookedAsync(alice, Local(0, 12));
        Assert.Empty(await bob.EventsAsync());
        Assert.Empty(await bob.CallbacksAsync());

        // Bob's texter is offered Bob's own free times, untouched by Alice's booking.
        Assert.Contains(Offered, await bob.GetOfferAsync(), StringComparison.Ordinal);
    }
}
