using System.Globalization;
using Parley.Tests.Fakes;

namespace Parley.Tests.Booking;

/// <summary><see cref="BookingApp"/> with the OpenAI-compatible model (a scripted local server) instead of the rules.</summary>
public sealed class OpenAiBookingApp : BookingApp
{
    public FakeChatCompletions Model { get; private set; } = null!;

    protected override async Task<Dictionary<string, string?>> MoreSettingsAsync()
    {
        Model = await FakeChatCompletions.StartAsync();
        return new()
        {
            ["Parley:Ai:Provider"] = "OpenAI",
            ["Parley:Ai:Endpoint"] = Model.Endpoint.ToString(),
            ["Parley:Ai:ApiKey"] = "sk-test-key",
            ["Parley:Ai:Model"] = "gpt-test",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Model.DisposeAsync();
    }
}

/// <summary>With the OpenAI-compatible model the calendar's free times are in its prompt, but a time it agrees is
/// booked only by Parley, after the same re-check on the calendar.</summary>
public sealed class OpenAiBookingTests(OpenAiBookingApp fixture) : IClassFixture<OpenAiBookingApp>
{
    private static object Decision(string? reply, string outcome = "Ongoing", string? name = null, string? callbackAt = null) =>
        new { reply, outcome, contactFirstName = name, callbackAt };

    [Fact]
    public async Task The_model_is_shown_the_free_times_and_a_busy_time_it_agrees_is_not_booked()
    {
        var booker = await fixture.BookerAsync();
        await booker.BusyAsync("owner-lunch", BookingApp.Today.AddHours(12), 60);

        fixture.Model.Reply(Decision("Hi Dana! I can call you 1) today 9am, 2) today 1pm or 3) tomorrow 9am. Which works best?", name: "Dana"));
        var offer = await booker.GetOfferAsync("Hi, this is Dana, could you give me a call?");
        Assert.Contains("1) today 9am ET (callbackAt 2026-12-14T09:00:00)", fixture.Model.Requests[^1].SystemPrompt, StringComparison.Ordinal);
        Assert.Contains("1) today 9am, 2) today 1pm or 3) tomorrow 9am", offer, StringComparison.Ordinal);

        // The model agrees noon, which the owner's lunch already holds: Parley offers the nearest free times instead.
        fixture.Model.Reply(Decision("Great, you're booked for noon!", "AppointmentScheduled", "Dana", "2026-12-14T12:00:00"));
        var reply = await booker.TextAsync("ok, can we talk over my lunch break?");
        Assert.NotNull(reply);
        Assert.Contains("no longer free", reply, StringComparison.Ordinal);
        Assert.Contains("1) today 11am, 2) today 11:30am or 3) today 1pm", reply, StringComparison.Ordinal);
        Assert.Equal(["owner-lunch"], (await booker.EventsAsync()).Select(e => e.Uid));
        Assert.Empty(await booker.CallbacksAsync());

        // The pick is read by Parley without asking the model.
        var asked = fixture.Model.Requests.Count;
        Assert.Contains("booked", await booker.TextAsync("2"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(asked, fixture.Model.Requests.Count);
        var callback = Assert.Single(await booker.CallbacksAsync());
        Assert.Equal(BookingApp.Today.AddHours(11.5), DateTimeOffset.Parse(callback["callbackAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).DateTime);
        Assert.Equal(2, (await booker.EventsAsync()).Count);
    }
}
