using System.Globalization;
using System.Net.Http.Json;
using Parley.Tests.Infrastructure;

namespace Parley.Tests.Booking;

/// <summary>A real Radicale server and the app allowed to reach it on 127.0.0.1.</summary>
public sealed class CalendarFixture : IAsyncLifetime
{
    public RadicaleServer Radicale { get; } = new();

    public ConfiguredParleyApp App { get; } = new(new Dictionary<string, string?> { ["Parley:Webhooks:AllowPrivateUrls"] = "true" });

    public Task InitializeAsync() => Radicale.InitializeAsync();

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Radicale.DisposeAsync();
    }
}

/// <summary>Connecting a CalDAV calendar, checked on save, and the free times read from it.</summary>
public sealed class CalendarApiTests(CalendarFixture fixture) : IClassFixture<CalendarFixture>
{
    private static int numbers = 7100;

    private static string NextNumber() => $"+1416555{Interlocked.Increment(ref numbers):D4}";

    private static readonly (string User, string Password) Alice = RadicaleServer.Users[0];

    [Fact]
    public async Task A_calendar_is_checked_on_save_and_its_password_never_comes_back()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var url = await fixture.Radicale.CreateCalendarAsync(Alice.User, Alice.Password);

        var saved = await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = url, username = Alice.User, password = Alice.Password, slotMinutes = 30 });
        var savedText = await saved.Content.ReadAsStringAsync();
        Assert.True(saved.IsSuccessStatusCode, savedText);
        Assert.DoesNotContain(Alice.Password, savedText, StringComparison.Ordinal);

        var read = await tenant.Http.GetStringAsync("/api/calendar");
        Assert.Contains(url, read, StringComparison.Ordinal);
        Assert.DoesNotContain(Alice.Password, read, StringComparison.Ordinal);
        Assert.Contains("America/Toronto", read, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-password", "", "password")]
    [InlineData(null, "not-a-calendar", "not a calendar")]
    [InlineData(null, "unreachable", "could not be reached")]
    public async Task A_calendar_that_cannot_be_used_is_a_clear_client_error_and_nothing_is_saved(string? password, string where, string message)
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var url = await fixture.Radicale.CreateCalendarAsync(Alice.User, Alice.Password);
        url = where switch
        {
            "not-a-calendar" => $"{fixture.Radicale.BaseUrl}/{Alice.User}/",
            "unreachable" => "http://127.0.0.1:9/calendar/",
            _ => url,
        };

        var saved = await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = url, username = Alice.User, password = password ?? Alice.Password });
        var detail = await saved.AssertProblemAsync(422);
        Assert.Contains(message, detail, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(404, (int)(await tenant.Http.GetAsync("/api/calendar")).StatusCode);
    }

    [Fact]
    public async Task Private_calendar_addresses_are_refused_unless_allowed()
    {
        using var strict = new ParleyApp();
        var tenant = await strict.CreateTenantAsync(number: NextNumber());
        var url = await fixture.Radicale.CreateCalendarAsync(Alice.User, Alice.Password);

        var saved = await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = url, username = Alice.User, password = Alice.Password });
        Assert.Contains("Parley__Webhooks__AllowPrivateUrls", await saved.AssertProblemAsync(422), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_are_a_validation_problem()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        await (await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = "ftp://x", username = "a", password = "b" })).AssertProblemAsync(400);
        await (await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = "https://cal.example.com/", username = "a" })).AssertProblemAsync(400);
        await (await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = "https://cal.example.com/", username = "a", password = "b", timeZone = "Mars/Base" })).AssertProblemAsync(400);
        await (await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = "https://cal.example.com/", username = "a", password = "b", hours = new[] { new { day = "Monday", start = "17:00", end = "09:00" } } })).AssertProblemAsync(400);
        await (await tenant.Http.GetAsync("/api/calendar/slots")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task Slots_avoid_busy_recurring_and_all_day_events_and_another_tenant_sees_no_calendar()
    {
        var tenant = await fixture.App.CreateTenantAsync(number: NextNumber());
        var url = await fixture.Radicale.CreateCalendarAsync(Alice.User, Alice.Password);
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/Toronto");
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
        var monday = today.AddDays(((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7 + 7); // a Monday 1-2 weeks ahead
        string Local(DateTime d) => d.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

        // A daily 10:00 stand-up with Tuesday's skipped, a one-off 14:00-15:00 on Monday, Wednesday all day.
        await RadicaleServer.PutEventAsync(url, Alice.User, Alice.Password, "standup", $"""
            BEGIN:VEVENT
            UID:standup
            DTSTAMP:20260101T000000Z
            DTSTART;TZID=America/Toronto:{Local(monday.AddDays(-7).AddHours(10))}
            DTEND;TZID=America/Toronto:{Local(monday.AddDays(-7).AddHours(10).AddMinutes(30))}
            RRULE:FREQ=DAILY
            EXDATE;TZID=America/Toronto:{Local(monday.AddDays(1).AddHours(10))}
            SUMMARY:Stand-up
            END:VEVENT
            """);
        await RadicaleServer.PutEventAsync(url, Alice.User, Alice.Password, "viewing", $"""
            BEGIN:VEVENT
            UID:viewing
            DTSTAMP:20260101T000000Z
            DTSTART;TZID=America/Toronto:{Local(monday.AddHours(14))}
            DTEND;TZID=America/Toronto:{Local(monday.AddHours(15))}
            SUMMARY:Viewing
            END:VEVENT
            """);
        await RadicaleServer.PutEventAsync(url, Alice.User, Alice.Password, "offsite", $"""
            BEGIN:VEVENT
            UID:offsite
            DTSTAMP:20260101T000000Z
            DTSTART;VALUE=DATE:{monday.AddDays(2):yyyyMMdd}
            DTEND;VALUE=DATE:{monday.AddDays(3):yyyyMMdd}
            SUMMARY:Off-site
            END:VEVENT
            """);
        (await tenant.Http.PutAsJsonAsync("/api/calendar", new { caldavUrl = url, username = Alice.User, password = Alice.Password, slotMinutes = 60, daysAhead = 21 })).EnsureSuccessStatusCode();

        var from = new DateTimeOffset(monday, zone.GetUtcOffset(monday));
        var slots = (await tenant.Http.GetJsonAsync($"/api/calendar/slots?from={Uri.EscapeDataString(from.ToString("o"))}&to={Uri.EscapeDataString(from.AddDays(3).ToString("o"))}"))
            .AsArray().Select(s => DateTimeOffset.Parse(s!["start"]!.GetValue<string>(), CultureInfo.InvariantCulture).DateTime).ToList();

        Assert.Contains(monday.AddHours(9), slots);
        Assert.DoesNotContain(monday.AddHours(10), slots); // the stand-up
        Assert.Contains(monday.AddHours(11), slots);
        Assert.DoesNotContain(monday.AddHours(14), slots); // the viewing
        Assert.Contains(monday.AddDays(1).AddHours(10), slots); // the skipped stand-up
        Assert.DoesNotContain(slots, s => s.Date == monday.AddDays(2)); // all day off-site
        Assert.DoesNotContain(slots, s => s.Hour < 9 || s.Hour >= 17);

        var other = await fixture.App.CreateTenantAsync(number: NextNumber());
        Assert.Equal(404, (int)(await other.Http.GetAsync("/api/calendar")).StatusCode);
        await (await other.Http.GetAsync("/api/calendar/slots")).AssertProblemAsync(404);
    }
}
