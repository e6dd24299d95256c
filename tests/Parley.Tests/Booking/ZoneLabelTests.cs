using Parley.Booking;

namespace Parley.Tests.Booking;

/// <summary>Every time in a text names its zone, so a texter who lives elsewhere is never misled: the short name
/// for North American zones, else the UTC offset at that moment.</summary>
public sealed class ZoneLabelTests
{
    private static readonly DateTime Winter = new(2026, 12, 14, 17, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime Summer = new(2026, 7, 14, 17, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("America/New_York", "ET", "ET")]
    [InlineData("America/Toronto", "ET", "ET")]
    [InlineData("America/Detroit", "ET", "ET")]
    [InlineData("America/Chicago", "CT", "CT")]
    [InlineData("America/Denver", "MT", "MT")]
    [InlineData("America/Phoenix", "MST", "MST")]
    [InlineData("America/Los_Angeles", "PT", "PT")]
    [InlineData("America/Anchorage", "AKT", "AKT")]
    [InlineData("Pacific/Honolulu", "HST", "HST")]
    [InlineData("Europe/Berlin", "UTC+1", "UTC+2")]
    [InlineData("Europe/London", "UTC", "UTC+1")]
    [InlineData("Asia/Kolkata", "UTC+5:30", "UTC+5:30")]
    [InlineData("America/Sao_Paulo", "UTC-3", "UTC-3")]
    [InlineData("America/St_Johns", "UTC-3:30", "UTC-2:30")]
    [InlineData("America/Mexico_City", "UTC-6", "UTC-6")]
    [InlineData("Australia/Sydney", "UTC+11", "UTC+10")]
    public void A_zone_is_named_the_way_its_texters_know_it(string zone, string winter, string summer)
    {
        var info = TimeZoneInfo.FindSystemTimeZoneById(zone);

        Assert.Equal(winter, ZoneLabel.For(info, Winter));
        Assert.Equal(summer, ZoneLabel.For(info, Summer));
    }

    [Fact]
    public void A_time_says_its_zone_in_the_texters_own_time()
    {
        var now = new DateTime(2026, 12, 14, 13, 30, 0, DateTimeKind.Utc);

        Assert.Equal("today 11am CT", SlotText.Label(Winter, TimeZoneInfo.FindSystemTimeZoneById("America/Chicago"), now));
        Assert.Equal("today 6pm UTC+1", SlotText.Label(Winter, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), now));
        Assert.Equal("today 3:30am UTC+10:30", SlotText.Label(Winter, TimeZoneInfo.FindSystemTimeZoneById("Australia/Adelaide"), now));
    }

    [Fact]
    public void Choices_name_the_zone_once_when_they_share_it()
    {
        var chicago = TimeZoneInfo.FindSystemTimeZoneById("America/Chicago");
        var now = new DateTime(2026, 12, 14, 13, 30, 0, DateTimeKind.Utc);

        var text = SlotText.Choices([Winter, Winter.AddHours(2), Winter.AddDays(1)], chicago, now);

        Assert.Equal("1) today 11am, 2) today 1pm or 3) tomorrow 11am CT", text);
    }

    [Fact]
    public void Choices_across_a_clock_change_abroad_name_each_ones_offset()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var now = new DateTime(2026, 3, 27, 8, 0, 0, DateTimeKind.Utc); // Friday; clocks go forward early on Sunday the 29th
        var friday = new DateTime(2026, 3, 27, 14, 0, 0, DateTimeKind.Utc);
        var monday = new DateTime(2026, 3, 30, 13, 0, 0, DateTimeKind.Utc);

        var text = SlotText.Choices([friday, monday], berlin, now);

        Assert.Equal("1) today 3pm UTC+1 or 2) Mon 3pm UTC+2", text);
    }
}
