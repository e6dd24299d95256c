using System.Net.Http.Json;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Booking;

/// <summary>A texter in another zone than the business reads every offered, booked and moved time in their own
/// time, and each text says which zone it is. The business is in Toronto; its free times are 9:00 and 12:00 today
/// and 9:00 tomorrow, Toronto time.</summary>
public sealed class TimesAbroadTests(BookingApp fixture) : IClassFixture<BookingApp>
{
    private static string Number(string areaCode) => $"+1{areaCode}{BookingApp.NextNumber()[5..]}";

    [Theory]
    [InlineData("416", null, "1) today 9am, 2) today 12pm or 3) tomorrow 9am ET", "today 12pm ET", "today 1pm ET")]
    [InlineData("312", null, "1) today 8am, 2) today 11am or 3) tomorrow 8am CT", "today 11am CT", "today 12pm CT")]
    [InlineData("720", null, "1) today 7am, 2) today 10am or 3) tomorrow 7am MT", "today 10am MT", "today 11am MT")]
    [InlineData("602", null, "1) today 7am, 2) today 10am or 3) tomorrow 7am MST", "today 10am MST", "today 11am MST")]
    [InlineData("213", null, "1) today 6am, 2) today 9am or 3) tomorrow 6am PT", "today 9am PT", "today 10am PT")]
    [InlineData("416", "Europe/Berlin", "1) today 3pm, 2) today 6pm or 3) tomorrow 3pm UTC+1", "today 6pm UTC+1", "today 7pm UTC+1")]
    public async Task Offers_bookings_and_moves_are_written_in_the_texters_time_with_its_zone(
        string areaCode, string? contactZone, string offered, string booked, string moved)
    {
        var booker = await fixture.BookerAsync() with { Contact = Number(areaCode) };
        if (contactZone is not null)
        {
            var saved = await booker.Tenant.Http.PostAsJsonAsync("/api/contacts", new { firstName = "Dana", phones = new[] { booker.Contact }, timeZone = contactZone });
            Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        }

        Assert.Contains(offered, await booker.GetOfferAsync(), StringComparison.Ordinal);

        var confirmation = await booker.TextAsync("the second one");
        Assert.NotNull(confirmation);
        Assert.Contains($"booked for a call {booked}.", confirmation, StringComparison.Ordinal);

        var move = await booker.TextAsync("could we push it an hour later?");
        Assert.NotNull(move);
        Assert.Contains($"moved your call to {moved}.", move, StringComparison.Ordinal);

        // The calendar holds the business's time whatever the texter's zone: 12:00, then 13:00 in Toronto.
        var ev = Assert.Single(await booker.EventsAsync());
        Assert.Equal(BookingApp.Today.AddHours(13), TimeZoneInfo.ConvertTimeFromUtc(ev.DtStart!.AsUtc, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto")));
    }

    [Fact]
    public async Task A_time_asked_for_by_a_texter_elsewhere_is_read_in_their_time()
    {
        var booker = await fixture.BookerAsync() with { Contact = Number("312") };
        await booker.GetOfferAsync();

        var confirmation = await booker.TextAsync("how about 2pm today?");

        Assert.NotNull(confirmation);
        Assert.Contains("today 2pm CT", confirmation, StringComparison.Ordinal);
        var ev = Assert.Single(await booker.EventsAsync());
        Assert.Equal(BookingApp.Today.AddHours(15), TimeZoneInfo.ConvertTimeFromUtc(ev.DtStart!.AsUtc, TimeZoneInfo.FindSystemTimeZoneById("America/Toronto")));
    }
}
