using Parley.Agent.Rules;
using Xunit;

namespace Parley.Tests.Agent;

/// <summary>Asks to be texted again later, relative to Saturday 21 November 2026, 10:15 local.</summary>
public sealed class FollowUpRequestTests
{
    private static readonly DateTime Now = new(2026, 11, 21, 10, 15, 0, DateTimeKind.Unspecified);

    [Theory]
    [InlineData("text me next week", "2026-11-23 10:00")]
    [InlineData("Can you txt me next week?", "2026-11-23 10:00")]
    [InlineData("Not a good time. Get back to me next wk", "2026-11-23 10:00")]
    [InlineData("busy rn, try me again tomorrow afternoon", "2026-11-22 14:00")]
    [InlineData("Try me tomorrow afternoon", "2026-11-22 14:00")]
    [InlineData("check back tomorrow", "2026-11-22 10:00")]
    [InlineData("message me in a few days", "2026-11-24 10:00")]
    [InlineData("I'm swamped, follow up in 3 days", "2026-11-24 10:00")]
    [InlineData("hit me up in a couple weeks", "2026-12-05 10:00")]
    [InlineData("Reach out next month, we're moving first", "2026-12-01 10:00")]
    [InlineData("circle back in a month", "2026-12-21 10:00")]
    [InlineData("Text me Monday", "2026-11-23 10:00")]
    [InlineData("text me friday at 2", "2026-11-27 14:00")]
    [InlineData("can u try again in 2 hours", "2026-11-21 12:15")]
    [InlineData("ping me this weekend", "2026-11-22 10:00")]
    [InlineData("At work. Text me tmrw morning", "2026-11-22 09:00")]
    public void Ask_to_be_texted_later_becomes_a_follow_up_time(string text, string expected)
    {
        var at = FollowUpRequest.Read(text, Now);

        Assert.Equal(expected, at?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("text me later")]
    [InlineData("don't text me next week")]
    [InlineData("Never text me again")]
    [InlineData("stop texting me")]
    [InlineData("next week works for a call")]
    [InlineData("Tuesday at 11")]
    [InlineData("hi who is this")]
    [InlineData("")]
    public void Text_that_asks_for_no_later_time_gives_none(string text) =>
        Assert.Null(FollowUpRequest.Read(text, Now));
}
