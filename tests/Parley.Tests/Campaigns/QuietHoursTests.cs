using Parley.Campaigns;

namespace Parley.Tests.Campaigns;

public sealed class QuietHoursTests
{
    [Theory]
    // 2026-06-01 is a Monday; June is daylight time. Toronto/New York UTC-4, Chicago UTC-5, Los Angeles UTC-7.
    [InlineData("+14165550123", "2026-06-01T13:00:00Z", "2026-06-01T13:00:00Z")] // 9:00 Toronto: open
    [InlineData("+14165550123", "2026-06-01T11:00:00Z", "2026-06-01T12:00:00Z")] // 7:00 Toronto: waits for 8:00
    [InlineData("+14165550123", "2026-06-02T01:30:00Z", "2026-06-02T12:00:00Z")] // 21:30 Toronto: next morning
    [InlineData("+12135550123", "2026-06-01T13:00:00Z", "2026-06-01T15:00:00Z")] // 6:00 Los Angeles: waits for 8:00
    [InlineData("+13055550123", "2026-06-02T00:30:00Z", "2026-06-02T12:00:00Z")] // 20:30 Miami: Florida closes at 20:00
    [InlineData("+15125550123", "2026-06-01T13:30:00Z", "2026-06-01T14:00:00Z")] // 8:30 Austin (Mon): Texas opens at 9:00
    [InlineData("+15125550123", "2026-06-07T15:00:00Z", "2026-06-07T17:00:00Z")] // 10:00 Austin on Sunday: Texas opens at 12:00
    [InlineData("+12035550123", "2026-06-01T12:30:00Z", "2026-06-01T13:00:00Z")] // 8:30 Connecticut: opens at 9:00
    [InlineData("+447911123456", "2026-06-01T06:00:00Z", "2026-06-01T07:00:00Z")] // 7:00 London: waits for 8:00
    public void A_number_may_be_texted_only_inside_its_local_window(string number, string nowUtc, string expectedUtc)
    {
        var now = DateTime.Parse(nowUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        var expected = DateTime.Parse(expectedUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.Equal(expected, QuietHours.NextAllowedUtc(number, now, "America/Toronto"));
    }

    [Theory]
    [InlineData("Hi {firstName}, it's {company}.", "Ana", "Hi Ana, it's Maple Realty.")]
    [InlineData("Hi {firstName}, it's {company}.", "  ", "Hi there, it's Maple Realty.")]
    [InlineData("Hi { FirstName }!", null, "Hi there!")]
    public void Templates_fill_fields_with_a_fallback_for_missing_names(string template, string? firstName, string expected) =>
        Assert.Equal(expected, CampaignTemplate.Render(template, firstName, "Maple Realty"));

    [Fact]
    public void Unknown_template_fields_are_reported() =>
        Assert.Equal(["lastName"], CampaignTemplate.UnknownFields("Hi {firstName} {lastName}"));
}
