using Parley.Agent.Rules;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>All times relative to Saturday 21 November 2026, 10:15 local.</summary>
public sealed class TimeExpressionParserTests
{
    [Theory]
    [InlineData("tomorrow at 3pm", "2026-11-22 15:00")]
    [InlineData("tmrw 3", "2026-11-22 15:00")]
    [InlineData("3 tomorrow", "2026-11-22 15:00")]
    [InlineData("tomorrow 10am", "2026-11-22 10:00")]
    [InlineData("Tuesday at 11", "2026-11-24 11:00")]
    [InlineData("tues 11am", "2026-11-24 11:00")]
    [InlineData("Monday 11", "2026-11-23 11:00")]
    [InlineData("wed 4pm", "2026-11-25 16:00")]
    [InlineData("thurs at 10:30", "2026-11-26 10:30")]
    [InlineData("Friday at 2", "2026-11-27 14:00")]
    [InlineData("Friday afternoon around 2", "2026-11-27 14:00")]
    [InlineData("sunday at 2", "2026-11-22 14:00")]
    [InlineData("day after tomorrow at 11", "2026-11-23 11:00")]
    [InlineData("noon", "2026-11-21 12:00")]
    [InlineData("tomorrow noon", "2026-11-22 12:00")]
    [InlineData("tomorrow at noon", "2026-11-22 12:00")]
    [InlineData("lunchtime", "2026-11-21 12:00")]
    [InlineData("in 2 hours", "2026-11-21 12:15")]
    [InlineData("in 30 minutes", "2026-11-21 10:45")]
    [InlineData("in an hour", "2026-11-21 11:15")]
    [InlineData("in half an hour", "2026-11-21 10:45")]
    [InlineData("in a couple hours", "2026-11-21 12:15")]
    [InlineData("in 45 mins", "2026-11-21 11:00")]
    [InlineData("in 2hrs", "2026-11-21 12:15")]
    [InlineData("today at 4:30", "2026-11-21 16:30")]
    [InlineData("3pm", "2026-11-21 15:00")]
    [InlineData("3 PM", "2026-11-21 15:00")]
    [InlineData("3p", "2026-11-21 15:00")]
    [InlineData("3 p.m.", "2026-11-21 15:00")]
    [InlineData("10 p.m.", "2026-11-21 22:00")]
    [InlineData("9:45am", "2026-11-22 09:45")]
    [InlineData("10:30 am", "2026-11-21 10:30")]
    [InlineData("3:30", "2026-11-21 15:30")]
    [InlineData("15:00", "2026-11-21 15:00")]
    [InlineData("around 4ish", "2026-11-21 16:00")]
    [InlineData("3 o'clock", "2026-11-21 15:00")]
    [InlineData("at three", "2026-11-21 15:00")]
    [InlineData("at three thirty", "2026-11-21 15:30")]
    [InlineData("half past 3", "2026-11-21 15:30")]
    [InlineData("quarter to 4", "2026-11-21 15:45")]
    [InlineData("between 2 and 4 tomorrow", "2026-11-22 14:00")]
    [InlineData("Good morning! Tomorrow at 3 works", "2026-11-22 15:00")]
    [InlineData("next Monday morning", "2026-11-23 09:00")]
    [InlineData("monday morning at 10", "2026-11-23 10:00")]
    [InlineData("this evening", "2026-11-21 18:00")]
    [InlineData("tonight", "2026-11-21 18:00")]
    [InlineData("tonight at 8", "2026-11-21 20:00")]
    [InlineData("at 8 tonight", "2026-11-21 20:00")]
    [InlineData("this afternoon", "2026-11-21 14:00")]
    [InlineData("3 this afternoon", "2026-11-21 15:00")]
    [InlineData("tomorrow morning", "2026-11-22 09:00")]
    [InlineData("tomorrow afternoon", "2026-11-22 14:00")]
    [InlineData("tomorrow evening at 6:30", "2026-11-22 18:30")]
    [InlineData("11/25 at 2pm", "2026-11-25 14:00")]
    [InlineData("Nov 25 at 2", "2026-11-25 14:00")]
    [InlineData("November 25th at 2:30pm", "2026-11-25 14:30")]
    [InlineData("25 November at 9am", "2026-11-25 09:00")]
    [InlineData("on the 25th at 11am", "2026-11-25 11:00")]
    [InlineData("12/1 at 9am", "2026-12-01 09:00")]
    [InlineData("dec 3 at 4", "2026-12-03 16:00")]
    [InlineData("11/25/2026 3pm", "2026-11-25 15:00")]
    [InlineData("11/25/26 at 3", "2026-11-25 15:00")]
    [InlineData("sat at 2pm", "2026-11-21 14:00")]
    [InlineData("next sat at 2pm", "2026-11-28 14:00")]
    [InlineData("Thursday 10am", "2026-11-26 10:00")]
    [InlineData("Wed at noon", "2026-11-25 12:00")]
    [InlineData("wed", null)]
    [InlineData("We'd like 3pm", "2026-11-21 15:00")]
    [InlineData("3pm PST works", "2026-11-21 15:00")]
    [InlineData("can we do 4?", "2026-11-21 16:00")]
    [InlineData("3 works", "2026-11-21 15:00")]
    [InlineData("5", "2026-11-21 17:00")]
    [InlineData("tommorow at 3", "2026-11-22 15:00")]
    public void Natural_times_resolve_to_the_tenants_local_wall_clock(string text, string? expected) =>
        Assert.Equal(expected is null ? null : Chat.At(expected), TimeExpressionParser.Parse(text, Chat.Now));

    [Theory]
    [InlineData("at 1", "2026-11-21 13:00")]
    [InlineData("at 5", "2026-11-21 17:00")]
    [InlineData("at 7", "2026-11-21 19:00")]
    [InlineData("at 8", "2026-11-22 08:00")]
    [InlineData("at 9", "2026-11-22 09:00")]
    [InlineData("at 10", "2026-11-22 10:00")]
    [InlineData("at 11", "2026-11-21 11:00")]
    [InlineData("at 12", "2026-11-21 12:00")]
    [InlineData("at 10:30", "2026-11-21 10:30")]
    [InlineData("at 10:00", "2026-11-22 10:00")]
    public void Bare_hours_read_one_to_seven_as_pm_and_eight_to_eleven_as_am_rolling_to_tomorrow_when_past(string text, string expected) =>
        Assert.Equal(Chat.At(expected), TimeExpressionParser.Parse(text, Chat.Now));

    [Theory]
    [InlineData("Saturday at 3", "2026-11-21 15:00")]
    [InlineData("saturday at 9", "2026-11-28 09:00")]
    [InlineData("next Saturday at 3", "2026-11-28 15:00")]
    [InlineData("this saturday at 4pm", "2026-11-21 16:00")]
    [InlineData("Saturday morning", "2026-11-28 09:00")]
    [InlineData("Saturday afternoon", "2026-11-21 14:00")]
    public void Todays_weekday_name_means_today_only_for_a_time_still_ahead(string text, string expected) =>
        Assert.Equal(Chat.At(expected), TimeExpressionParser.Parse(text, Chat.Now));

    [Theory]
    [InlineData("1/5 at 10am", "2027-01-05 10:00")]
    [InlineData("11/20 at 2pm", "2027-11-20 14:00")]
    [InlineData("Jan 4 at 3", "2027-01-04 15:00")]
    [InlineData("the 2nd at 3pm", "2026-12-02 15:00")]
    public void Dates_already_past_this_year_mean_the_next_one(string text, string expected) =>
        Assert.Equal(Chat.At(expected), TimeExpressionParser.Parse(text, Chat.Now));

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("tomorrow")]
    [InlineData("Tuesday")]
    [InlineData("next week")]
    [InlineData("next week at 3")]
    [InlineData("this weekend")]
    [InlineData("sometime")]
    [InlineData("call me later")]
    [InlineData("I have 3 kids")]
    [InlineData("we have 2 houses")]
    [InlineData("lived here 10 years")]
    [InlineData("in 2 weeks")]
    [InlineData("call me in 5 years lol")]
    [InlineData("yesterday at 3")]
    [InlineData("you called 3 days ago")]
    [InlineData("last Monday at 2")]
    [InlineData("today at 9")]
    [InlineData("today at 10am")]
    [InlineData("this morning")]
    [InlineData("11/21 at 9am")]
    [InlineData("2/30 at 3pm")]
    [InlineData("13/45 at 2")]
    [InlineData("mornings are better")]
    [InlineData("about one thing")]
    [InlineData("at 25")]
    [InlineData("it costs $300")]
    [InlineData("I sat down at my desk")]
    [InlineData("the house has 4 bedrooms")]
    [InlineData("2 baths")]
    public void Text_without_a_usable_future_time_gives_null(string text) =>
        Assert.Null(TimeExpressionParser.Parse(text, Chat.Now));

    [Fact]
    public void Relative_times_drop_seconds_from_now()
    {
        var now = new DateTime(2026, 11, 21, 10, 15, 42);
        Assert.Equal(new DateTime(2026, 11, 21, 12, 15, 0), TimeExpressionParser.Parse("in 2 hours", now));
    }

    [Fact]
    public void Evening_time_today_rolls_to_tomorrow_once_past()
    {
        var evening = new DateTime(2026, 11, 21, 19, 30, 0);
        Assert.Equal(new DateTime(2026, 11, 22, 15, 0, 0), TimeExpressionParser.Parse("3pm", evening));
        Assert.Equal(new DateTime(2026, 11, 22, 11, 0, 0), TimeExpressionParser.Parse("at 11", evening));
    }

    [Fact]
    public void Dates_past_the_end_of_the_calendar_give_null()
    {
        var lastYear = new DateTime(9999, 12, 30, 12, 0, 0);
        Assert.Null(TimeExpressionParser.Parse("11/25 at 2pm", lastYear));
        Assert.Null(TimeExpressionParser.Parse("monday at 2", lastYear));
    }

    [Fact]
    public void Year_end_rolls_into_the_new_year()
    {
        var newYearsEve = new DateTime(2026, 12, 31, 16, 0, 0);
        Assert.Equal(new DateTime(2027, 1, 1, 10, 0, 0), TimeExpressionParser.Parse("tomorrow at 10am", newYearsEve));
        Assert.Equal(new DateTime(2027, 1, 4, 9, 0, 0), TimeExpressionParser.Parse("monday morning", newYearsEve));
    }
}
