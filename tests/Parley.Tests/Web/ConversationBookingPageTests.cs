using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Tests.Booking;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Web;

/// <summary>The thread shows the call booked in it: when (in the business's time zone), whether it still stands, and
/// whether it is on the business's calendar or only in Parley.</summary>
public sealed partial class ConversationBookingPageTests(BookingApp fixture) : IClassFixture<BookingApp>
{
    private static int people;

    /// <summary>A business signed up by a person, its calendar on Radicale, and the person's signed-in browser.</summary>
    private async Task<(Booker Booker, HttpClient Person)> SignedInBookerAsync(int user = 0)
    {
        var app = fixture.App;
        var email = $"owner{Interlocked.Increment(ref people)}@booking-page.example";
        var person = app.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        (await Forms.SignUpAsync(person, email)).EnsureSuccessStatusCode();
        var tenantId = await app.QueryAsync(db => db.Users.IgnoreQueryFilters().Where(u => u.Email == email).Select(u => u.TenantId).SingleAsync());
        var number = BookingApp.NextNumber();
        using (var admin = app.Admin())
        {
            (await admin.PatchAsJsonAsync($"/api/admin/tenants/{tenantId}", new { plan = "Growth", a2pStatus = "Live" })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/wallet/credits", new { amount = 20 })).EnsureSuccessStatusCode();
            (await admin.PostAsJsonAsync($"/api/admin/tenants/{tenantId}/phone-numbers", new { number })).EnsureSuccessStatusCode();
        }

        var key = await Forms.ApiKeyAsync(person);
        var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var (name, password) = RadicaleServer.Users[user];
        var url = await fixture.Radicale.CreateCalendarAsync(name, password);
        var saved = await api.PutAsJsonAsync("/api/calendar", new { caldavUrl = url, username = name, password, slotMinutes = 30 });
        Assert.True(saved.IsSuccessStatusCode, await saved.Content.ReadAsStringAsync());
        return (new Booker(fixture, new TenantClient(tenantId, key, number, api), url, name, password, BookingApp.NextNumber()), person);
    }

    private static async Task<string> BookingsAsync(HttpClient person, Booker booker)
    {
        var html = await person.GetStringAsync($"/conversations/{booker.ConversationId}");
        var section = Bookings().Match(html);
        Assert.True(section.Success, html);
        return WebUtility.HtmlDecode(section.Value);
    }

    [Fact]
    public async Task A_call_booked_by_text_shows_on_the_thread_in_the_tenants_time_and_on_the_calendar()
    {
        var (booker, person) = await SignedInBookerAsync();
        await booker.GetOfferAsync();
        Assert.DoesNotContain("Booked calls", await BookingsAsync(person, booker), StringComparison.Ordinal);

        await booker.TextAsync("the second one");

        var bookings = await BookingsAsync(person, booker);
        Assert.Contains("Dec 14, 12:00 PM", bookings, StringComparison.Ordinal); // noon in Toronto, 17:00 UTC
        Assert.Contains("data-status=\"Booked\"", bookings, StringComparison.Ordinal);
        Assert.Contains("On the calendar", bookings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Moved_and_cancelled_bookings_show_their_state()
    {
        var (booker, person) = await SignedInBookerAsync();
        await booker.GetOfferAsync();
        await booker.TextAsync("tomorrow morning works");

        await booker.TextAsync("could we push it an hour later?");
        var moved = await BookingsAsync(person, booker);
        Assert.Contains("Dec 15, 10:00 AM", moved, StringComparison.Ordinal);
        Assert.Contains("data-status=\"Moved\"", moved, StringComparison.Ordinal);
        Assert.Contains("On the calendar", moved, StringComparison.Ordinal);

        await booker.TextAsync("something came up, I can't do it");
        var cancelled = await BookingsAsync(person, booker);
        Assert.Contains("data-status=\"Cancelled\"", cancelled, StringComparison.Ordinal);
        Assert.Contains("Removed from the calendar", cancelled, StringComparison.Ordinal);
        Assert.DoesNotContain("On the calendar", cancelled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_without_a_calendar_shows_as_in_parley_only()
    {
        var (booker, person) = await SignedInBookerAsync();
        await booker.GetOfferAsync();
        var conversationId = Guid.Parse(booker.ConversationId!);
        await fixture.App.QueryAsync(async db =>
        {
            var conversation = db.Conversations.Single(c => c.Id == conversationId);
            db.Callbacks.Add(new Callback
            {
                TenantId = booker.Tenant.Id,
                ConversationId = conversationId,
                ContactId = conversation.ContactId,
                ContactNumber = booker.Contact,
                DueAtUtc = new DateTime(2026, 12, 16, 19, 0, 0, DateTimeKind.Utc),
                CreatedAtUtc = BookingApp.Now.UtcDateTime,
            });
            return await db.SaveChangesAsync();
        }, booker.Tenant.Id);

        var bookings = await BookingsAsync(person, booker);
        Assert.Contains("Dec 16, 2:00 PM", bookings, StringComparison.Ordinal);
        Assert.Contains("In Parley only", bookings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_tenant_cannot_open_the_thread_with_the_booking()
    {
        var (alice, _) = await SignedInBookerAsync(user: 0);
        var (_, bob) = await SignedInBookerAsync(user: 1);
        await alice.GetOfferAsync();
        await alice.TextAsync("the second one");

        var response = await bob.GetAsync($"/conversations/{alice.ConversationId}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Booked calls", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<div id=\"bookings\".*?(?=<div id=\"follow-ups\")", RegexOptions.Singleline)]
    private static partial Regex Bookings();
}
