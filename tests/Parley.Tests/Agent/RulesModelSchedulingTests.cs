using Parley.Agent;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>Callbacks booked from the contact's own words; "now" is Saturday 21 November 2026, 10:15.</summary>
public sealed class RulesModelSchedulingTests
{
    [Theory]
    [InlineData("call me tomorrow at 3", "2026-11-22 15:00")]
    [InlineData("Tomorrow at 3 works", "2026-11-22 15:00")]
    [InlineData("tommorow at 3 works", "2026-11-22 15:00")]
    [InlineData("how about Friday at 2", "2026-11-27 14:00")]
    [InlineData("sure, 3pm", "2026-11-21 15:00")]
    [InlineData("tmrw 3", "2026-11-22 15:00")]
    [InlineData("Tuesday at 11", "2026-11-24 11:00")]
    [InlineData("tues 11am works for me", "2026-11-24 11:00")]
    [InlineData("Friday afternoon around 2", "2026-11-27 14:00")]
    [InlineData("noon is good", "2026-11-21 12:00")]
    [InlineData("tomorrow noon", "2026-11-22 12:00")]
    [InlineData("call me in 2 hours", "2026-11-21 12:15")]
    [InlineData("in 30 minutes", "2026-11-21 10:45")]
    [InlineData("Ok how about in an hour", "2026-11-21 11:15")]
    [InlineData("today at 4:30", "2026-11-21 16:30")]
    [InlineData("3pm", "2026-11-21 15:00")]
    [InlineData("3 works", "2026-11-21 15:00")]
    [InlineData("at 10", "2026-11-22 10:00")]
    [InlineData("next Monday morning", "2026-11-23 09:00")]
    [InlineData("this evening", "2026-11-21 18:00")]
    [InlineData("tonight at 7 is good", "2026-11-21 19:00")]
    [InlineData("11/25 at 2pm", "2026-11-25 14:00")]
    [InlineData("Nov 25 at 2", "2026-11-25 14:00")]
    [InlineData("How about 11/30 at 10am?", "2026-11-30 10:00")]
    [InlineData("Monday at 10am please", "2026-11-23 10:00")]
    [InlineData("Call me Monday around 9:30", "2026-11-23 09:30")]
    [InlineData("I'm free tomorrow after 5", "2026-11-22 17:00")]
    [InlineData("Anytime after 2 today", "2026-11-21 14:00")]
    [InlineData("Busy now, call me at 5", "2026-11-21 17:00")]
    [InlineData("I'm busy tomorrow but Tuesday at 4 works", "2026-11-24 16:00")]
    [InlineData("Can't do Monday. Wednesday at 3:30?", "2026-11-25 15:30")]
    [InlineData("Can you call me Sunday at 1?", "2026-11-22 13:00")]
    [InlineData("Yes! Tomorrow morning works", "2026-11-22 09:00")]
    [InlineData("Let's do Wednesday at 3:30", "2026-11-25 15:30")]
    [InlineData("give me a call at 4:15", "2026-11-21 16:15")]
    [InlineData("Sure, call me at 1", "2026-11-21 13:00")]
    [InlineData("ok 2pm tomorrow", "2026-11-22 14:00")]
    [InlineData("Thursday 10am", "2026-11-26 10:00")]
    [InlineData("Wed at noon", "2026-11-25 12:00")]
    [InlineData("I get off at 5, call me then", "2026-11-21 17:00")]
    [InlineData("Hi! Yes, tomorrow at 10 works for me", "2026-11-22 10:00")]
    [InlineData("Can we do 4?", "2026-11-21 16:00")]
    [InlineData("Not right now but call me tomorrow at 3", "2026-11-22 15:00")]
    [InlineData("TOMORROW AT 3PM!!", "2026-11-22 15:00")]
    [InlineData("10 p.m. tonight", "2026-11-21 22:00")]
    [InlineData("Sat 11", "2026-11-21 11:00")]
    [InlineData("We'd love a call at 3", "2026-11-21 15:00")]
    [InlineData("on wed at 2", "2026-11-25 14:00")]
    public void Agreed_times_book_a_callback_and_confirm_it(string text, string expected)
    {
        var decision = Chat.Answer(text, Chat.AskedForTime);

        Assert.Equal(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.Equal(Chat.At(expected), decision.CallbackAtLocal);
        var when = Chat.At(expected).ToString("ddd MMM d 'at' h:mm tt", System.Globalization.CultureInfo.InvariantCulture) + " ET";
        Assert.Equal($"Perfect, Robert, you're booked for a call {when}. Talk soon!", decision.Reply);
        Chat.AssertSmsSafe(decision.Reply);
    }

    [Theory]
    [InlineData("Call me tomorrow at 3", "2026-11-22 15:00")]
    [InlineData("tomorrow at 3 works", "2026-11-22 15:00")]
    [InlineData("How about Friday at 2?", "2026-11-27 14:00")]
    [InlineData("Can you call me Monday at 11am?", "2026-11-23 11:00")]
    [InlineData("3pm", "2026-11-21 15:00")]
    [InlineData("I'm free at 4", "2026-11-21 16:00")]
    public void Times_offered_unprompted_are_booked_too(string text, string expected)
    {
        var decision = Chat.Answer(text, Chat.Opener);

        Assert.Equal(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.Equal(Chat.At(expected), decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData("I'm busy tomorrow at 3")]
    [InlineData("not tomorrow at 3")]
    [InlineData("Can't do 3pm")]
    [InlineData("3pm doesn't work")]
    [InlineData("Tuesday at 11 is bad for me")]
    [InlineData("I'm not available at noon")]
    [InlineData("tomorrow at 3 won't work")]
    [InlineData("Tomorrow at 3? I'm busy then")]
    [InlineData("I'm in a meeting at 3")]
    [InlineData("I work tomorrow at 10")]
    [InlineData("I'll be at work until 5")]
    [InlineData("Unavailable Friday at 2")]
    [InlineData("Not Monday morning")]
    [InlineData("Not today")]
    [InlineData("Can't talk now")]
    public void Times_turned_down_ask_for_another_time(string text)
    {
        var decision = Chat.Answer(text, Chat.AskedForTime);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.Null(decision.CallbackAtLocal);
        Chat.AssertSmsSafe(decision.Reply);
        Assert.Contains("time", decision.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I have 3 kids")]
    [InlineData("we have 2 houses on the lot")]
    [InlineData("I've lived here 10 years")]
    [InlineData("in 2 weeks")]
    [InlineData("tomorrow")]
    [InlineData("next week sometime")]
    [InlineData("what time do you close?")]
    [InlineData("You called me yesterday at 3")]
    [InlineData("maybe next month")]
    [InlineData("sold it 3 months ago")]
    [InlineData("My house has 4 bedrooms")]
    [InlineData("call me in 5 years lol")]
    [InlineData("It has 2 baths")]
    [InlineData("We bought it in 2015")]
    [InlineData("Mornings are better")]
    [InlineData("Friday works")]
    [InlineData("Call me later")]
    [InlineData("I'm at 12 Main St now")]
    [InlineData("Is this about 12 Main St?")]
    [InlineData("please don't text after 8pm")]
    [InlineData("about 5 people live here")]
    public void Texts_without_an_agreed_time_book_nothing(string text)
    {
        var decision = Chat.Answer(text, Chat.AskedForTime);

        Assert.NotEqual(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.Null(decision.CallbackAtLocal);
    }

    [Theory]
    [InlineData("Friday works", "What time works best for you?")]
    [InlineData("tomorrow is good", "What time works best for you?")]
    [InlineData("Call me later", "What day and time work best for a quick call?")]
    [InlineData("give me a call", "What day and time work best for a quick call?")]
    [InlineData("anytime", "What day and time work best for a quick call?")]
    [InlineData("whenever works", "What day and time work best for a quick call?")]
    [InlineData("Saturday", "What time works best for you?")]
    public void A_day_or_a_call_request_without_a_time_asks_for_the_time(string text, string expectedEnding)
    {
        var decision = Chat.Answer(text, Chat.AskedForTime);

        Assert.Equal(AgentOutcome.Ongoing, decision.Outcome);
        Assert.EndsWith(expectedEnding, decision.Reply, StringComparison.Ordinal);
    }

    [Fact]
    public void A_burst_of_several_texts_is_read_as_one()
    {
        var context = Chat.Context([
            (Speaker.Agent, Chat.AskedForTime),
            (Speaker.Contact, "tomorrow works"),
            (Speaker.Contact, "around 3"),
        ]);

        var decision = Chat.Decide(context);

        Assert.Equal(AgentOutcome.AppointmentScheduled, decision.Outcome);
        Assert.Equal(Chat.At("2026-11-22 15:00"), decision.CallbackAtLocal);
    }
}
