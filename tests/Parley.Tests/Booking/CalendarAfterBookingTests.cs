using System.Globalization;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Booking;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Booking;

/// <summary>Reminders before a booked call, sent only for bookings still standing and never in quiet hours.
/// This class moves its own clock.</summary>
public sealed class CalendarReminderTests(BookingApp fixture) : IClassFixture<BookingApp>
{
    private static bool IsReminder(string text) => text.StartsWith("Reminder:", StringComparison.Ordinal);

    [Fact]
    public async Task A_reminder_goes_before_each_standing_booking_after_quiet_hours_and_not_for_cancelled_or_moved_away_times()
    {
        var kept = await fixture.BookerAsync();
        await kept.GetOfferAsync();
        await kept.TextAsync("tomorrow morning works"); // Tuesday 9:00: reminded at 7:00, inside quiet hours
        var moved = await fixture.BookerAsync(user: 1);
        await moved.GetOfferAsync();
        await moved.TextAsync("tomorrow morning works");
        Assert.Contains("moved", await moved.TextAsync("could we push it an hour later?"), StringComparison.OrdinalIgnoreCase);
        var cancelled = await fixture.BookerAsync(user: 2);
        await cancelled.GetOfferAsync();
        await cancelled.TextAsync("tomorrow morning works");
        Assert.Contains("cancelled", await cancelled.TextAsync("something came up, I can't do it"), StringComparison.Ordinal);
        var abroad = await fixture.BookerAsync();
        var added = await abroad.Tenant.Http.PostAsJsonAsync("/api/contacts", new { firstName = "Dana", phones = new[] { abroad.Contact }, timeZone = "Europe/Berlin" });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        await abroad.GetOfferAsync();
        Assert.Contains("tomorrow 3pm UTC+1", await abroad.TextAsync("the third one"), StringComparison.Ordinal); // Tuesday 9:00 in Toronto

        // Tuesday 7:05 in Toronto: the first reminder is due but waits for 8:00.
        fixture.Clock.Set(new DateTime(2026, 12, 15, 12, 5, 0, DateTimeKind.Utc));
        await Eventually.GetAsync(
            () => fixture.App.QueryAsync(db => db.WorkItems.Where(w => w.Kind == CalendarReminders.Work.Name && w.TenantId == kept.Tenant.Id).Select(w => w.DueAtUtc).ToListAsync(), kept.Tenant.Id),
            due => due.Contains(new DateTime(2026, 12, 15, 13, 0, 0)));
        Assert.DoesNotContain(kept.Replies, IsReminder);

        // 13:05 in Berlin: no quiet hours there, and the reminder says the time as the texter reads it.
        Assert.Contains("today 3pm UTC+1", (await Eventually.GetAsync(() => Task.FromResult(abroad.Replies.Where(IsReminder).ToList()), r => r.Count == 1))[0], StringComparison.Ordinal);

        // Tuesday 8:45: the kept and the moved bookings are reminded once each, the cancelled one never.
        fixture.Clock.Set(new DateTime(2026, 12, 15, 13, 45, 0, DateTimeKind.Utc));
        await Eventually.GetAsync(() => Task.FromResult(kept.Replies.Count(IsReminder)), n => n == 1);
        await Eventually.GetAsync(() => Task.FromResult(moved.Replies.Count(IsReminder)), n => n == 1);
        await fixture.App.WorkDrainedAsync(kept.Tenant.Id);
        await fixture.App.WorkDrainedAsync(moved.Tenant.Id);
        await fixture.App.WorkDrainedAsync(cancelled.Tenant.Id);

        Assert.Contains("today 9am ET", kept.Replies.Single(IsReminder), StringComparison.Ordinal);
        Assert.Contains("today 10am ET", moved.Replies.Single(IsReminder), StringComparison.Ordinal);
        Assert.DoesNotContain(cancelled.Replies, IsReminder);
    }
}

/// <summary>Events moved or deleted by the business on its own calendar are picked up by the periodic sync.
/// This class moves its own clock.</summary>
public sealed class CalendarSyncTests(BookingApp fixture) : IClassFixture<BookingApp>
{
    [Fact]
    public async Task An_event_moved_or_deleted_on_the_calendar_moves_or_cancels_the_callback()
    {
        var moved = await fixture.BookerAsync();
        await moved.GetOfferAsync();
        await moved.TextAsync("the second one");
        var uid = (await moved.CallbacksAsync())[0]["eventUid"]!.GetValue<string>();
        var deleted = await fixture.BookerAsync(user: 1);
        await deleted.GetOfferAsync();
        await deleted.TextAsync("the second one");
        var deletedUid = (await deleted.CallbacksAsync())[0]["eventUid"]!.GetValue<string>();

        // The business drags one call to Wednesday 11:00 and deletes the other.
        await RadicaleServer.PutEventAsync(moved.CalendarUrl, moved.User, moved.Password, Uri.EscapeDataString(uid), $"""
            BEGIN:VEVENT
            UID:{uid}
            DTSTAMP:20261214T140000Z
            DTSTART:20261216T160000Z
            DTEND:20261216T163000Z
            SUMMARY:Call Dana
            END:VEVENT
            """);
        await RadicaleServer.DeleteEventAsync(deleted.CalendarUrl, deleted.User, deleted.Password, deletedUid);

        fixture.Clock.Advance(TimeSpan.FromMinutes(16));

        var callback = (await Eventually.GetAsync(moved.CallbacksAsync, c => c[0]["status"]!.GetValue<string>() == "Moved"))[0];
        Assert.Equal(new DateTime(2026, 12, 16, 11, 0, 0), DateTimeOffset.Parse(callback["callbackAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).DateTime);
        await Eventually.GetAsync(deleted.CallbacksAsync, c => c[0]["status"]!.GetValue<string>() == "Cancelled");
        var conversation = await deleted.ConversationAsync();
        Assert.True(conversation["needsAttention"]!.GetValue<bool>());
        Assert.Equal("AppointmentScheduled", (await moved.ConversationAsync())["outcome"]!.GetValue<string>());
    }
}
