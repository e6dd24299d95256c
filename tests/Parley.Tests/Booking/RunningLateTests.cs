using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Booking;

/// <summary>After a call is booked, a texter running late goes to the team: the booking stands on the calendar, the
/// conversation needs attention, and the texter hears once that the team knows. Only a real ask to move or cancel
/// changes the event.</summary>
public sealed class RunningLateTests(BookingApp fixture) : IClassFixture<BookingApp>
{
    private static DateTime Local(int dayOffset, int hour, int minute = 0) => BookingApp.Today.AddDays(dayOffset).AddHours(hour).AddMinutes(minute);

    private static DateTime Start(Ical.Net.CalendarComponents.CalendarEvent ev) =>
        TimeZoneInfo.ConvertTimeFromUtc(ev.DtStart!.AsUtc, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"));

    private async Task<Booker> BookedTomorrowAt9Async()
    {
        var booker = await fixture.BookerAsync();
        await booker.GetOfferAsync();
        Assert.Contains("booked", await booker.TextAsync("tomorrow morning works"), StringComparison.OrdinalIgnoreCase);
        return booker;
    }

    private static async Task AssertStillBookedAsync(Booker booker, DateTime local, string status = "Booked")
    {
        var ev = Assert.Single(await booker.EventsAsync());
        Assert.Equal(local, Start(ev));
        var callback = Assert.Single(await booker.CallbacksAsync());
        Assert.Equal(status, callback["status"]!.GetValue<string>());
        Assert.Equal(ev.Uid, callback["eventUid"]!.GetValue<string>());
        Assert.Equal(local, DateTimeOffset.Parse(callback["callbackAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).DateTime);
        Assert.Equal("AppointmentScheduled", (await booker.ConversationAsync())["outcome"]!.GetValue<string>());
    }

    private Task<DateTime?> FlaggedAtAsync(Booker booker) =>
        fixture.App.QueryAsync(db => db.Conversations.Where(c => c.Id == Guid.Parse(booker.ConversationId!)).Select(c => c.UnansweredQuestionAtUtc).SingleAsync(), booker.Tenant.Id);

    [Theory]
    [InlineData("Hey I'm running about 10 mins late, sorry!")]
    [InlineData("sorry gonna be like 5 min late")]
    [InlineData("Traffic is insane rn, might be a little late")]
    [InlineData("Stuck in traffic on the 401, be there asap")]
    [InlineData("I'm running behind, sorry about that")]
    [InlineData("ugh my bus is late")]
    [InlineData("I'll be 15 minutes late")]
    [InlineData("Might not make it on time, sorry!!")]
    [InlineData("Running a touch late")]
    [InlineData("got held up at work, will be late")]
    [InlineData("Heads up, I'm going to be a bit late. Can't make it on time")]
    [InlineData("Sorry! Caught in traffic, will call as soon as I can")]
    [InlineData("running 20 late, my apologies")]
    [InlineData("Will be there 10 minutes later than planned")]
    [InlineData("running 10 min late, don't cancel!")]
    [InlineData("Running late but no need to cancel, be there soon")]
    public async Task Running_late_keeps_the_booking_tells_the_texter_the_team_knows_and_puts_the_conversation_before_the_team(string text)
    {
        var booker = await BookedTomorrowAt9Async();
        Assert.Null(await FlaggedAtAsync(booker));
        var sent = booker.Replies.Count;

        var reply = await booker.TextAsync(text);

        Assert.Equal("Thanks for the heads-up! I've let the team know you're running late.", reply);
        Assert.Equal(sent + 1, booker.Replies.Count);
        await AssertStillBookedAsync(booker, Local(1, 9));
        Assert.Equal(BookingApp.Now.UtcDateTime, await FlaggedAtAsync(booker));
        var conversation = await booker.ConversationAsync();
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        Assert.Contains("Running late", conversation["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(text, conversation["notice"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_late_text_gets_no_second_reply_but_still_reaches_the_team()
    {
        var booker = await BookedTomorrowAt9Async();
        Assert.NotNull(await booker.TextAsync("running about 10 min late, sorry!"));
        var sent = booker.Replies.Count;

        var again = await booker.TextAsync("ugh traffic is brutal, more like 20 min late now");

        Assert.Null(again);
        await fixture.App.WorkDrainedAsync(booker.Tenant.Id);
        Assert.Equal(sent, booker.Replies.Count);
        await AssertStillBookedAsync(booker, Local(1, 9));
        var conversation = await booker.ConversationAsync();
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        Assert.Contains("more like 20 min late now", conversation["notice"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("already told", conversation["notice"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_suggest_mode_the_reply_to_a_late_texter_waits_as_a_draft_for_a_person()
    {
        var booker = await BookedTomorrowAt9Async();
        (await booker.Tenant.Http.PutAsJsonAsync($"/api/conversations/{booker.ConversationId}/ai/mode", new { mode = "Suggest" })).EnsureSuccessStatusCode();
        var sent = booker.Replies.Count;

        Assert.Null(await booker.TextAsync("running 10 min late sorry"));
        Assert.Null(await booker.TextAsync("make that 15, traffic is crazy"));

        await fixture.App.WorkDrainedAsync(booker.Tenant.Id);
        Assert.Equal(sent, booker.Replies.Count);
        var conversation = await booker.ConversationAsync();
        Assert.Equal("Thanks for the heads-up! I've let the team know you're running late.", conversation["draft"]!["text"]!.GetValue<string>());
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        await AssertStillBookedAsync(booker, Local(1, 9));
    }

    [Theory]
    [InlineData("Stuck in traffic, can you call me at 10:30 instead?", 1, 10, 30)]
    [InlineData("running late, could we push it 30 min?", 1, 9, 30)]
    [InlineData("I'm going to be late, can we reschedule to wednesday at 11?", 2, 11, 0)]
    [InlineData("running late, can we push it 30 min", 1, 9, 30)]
    [InlineData("running late, push it to 10?", 1, 10, 0)]
    [InlineData("gonna be late, can we make it 10am", 1, 10, 0)]
    public async Task Late_with_a_new_time_is_a_move(string text, int day, int hour, int minute)
    {
        var booker = await BookedTomorrowAt9Async();

        var reply = await booker.TextAsync(text);

        Assert.NotNull(reply);
        Assert.Contains("moved", reply, StringComparison.OrdinalIgnoreCase);
        await AssertStillBookedAsync(booker, Local(day, hour, minute), "Moved");
    }

    [Theory]
    [InlineData("running way late, please just cancel it")]
    [InlineData("running really late, cancel it")]
    [InlineData("I'm late, can we just cancel")]
    [InlineData("stuck in traffic, let's cancel")]
    [InlineData("Traffic is insane, let's call it off")]
    [InlineData("I'm running behind, let's scrap the call")]
    public async Task Late_with_a_plain_ask_to_cancel_is_a_cancel(string text)
    {
        var booker = await BookedTomorrowAt9Async();

        var reply = await booker.TextAsync(text);

        Assert.NotNull(reply);
        Assert.Contains("cancelled", reply, StringComparison.Ordinal);
        Assert.Empty(await booker.EventsAsync());
    }

    [Fact]
    public async Task A_thank_you_after_booking_is_not_taken_for_lateness()
    {
        var booker = await BookedTomorrowAt9Async();

        Assert.Null(await booker.TextAsync("perfect, talk to you then. no rush on your end"));

        await AssertStillBookedAsync(booker, Local(1, 9));
        Assert.Null(await FlaggedAtAsync(booker));
    }
}
