using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Data;
using Parley.Work;

namespace Parley.Booking;

/// <summary>The tenant's calendar connection (CalDAV) and the free times the agent offers from it.</summary>
public static class CalendarApi
{
    public sealed record CalendarBody(string? CaldavUrl, string? Username, string? Password, string? TimeZone, List<DayHours>? Hours,
        int? SlotMinutes, int? BufferMinutes, int? DaysAhead, int? ReminderMinutes);

    /// <summary>The settings, never the password.</summary>
    public sealed record CalendarView(string CaldavUrl, string Username, string TimeZone, IReadOnlyList<DayHours> Hours, int SlotMinutes,
        int BufferMinutes, int DaysAhead, int ReminderMinutes, DateTime CheckedAt, DateTime? SyncedAt, string? SyncError);

    public sealed record SlotView(DateTimeOffset Start, DateTimeOffset End);

    public const int MaxSlotRangeDays = 62;

    public static void MapCalendarApi(this RouteGroupBuilder api)
    {
        var calendar = api.MapGroup("/calendar");
        calendar.MapGet("", GetAsync).WithName("GetCalendar").WithSummary("The calendar connection's settings (never the password).");
        calendar.MapPut("", SaveAsync).WithName("SaveCalendar").WithSummary("Connects a CalDAV calendar, or changes its settings; the connection is checked before it is saved.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        calendar.MapDelete("", DeleteAsync).WithName("DeleteCalendar").WithSummary("Disconnects the calendar; callbacks are booked in Parley only again.");
        calendar.MapGet("/slots", SlotsAsync).WithName("ListCalendarSlots").WithSummary("Free times on the calendar inside business hours, in the calendar's time zone.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    public static CalendarView View(CalendarConnection c) => new(c.CaldavUrl, c.Username, c.TimeZone, BusinessHours.Read(c.HoursJson),
        c.SlotMinutes, c.BufferMinutes, c.DaysAhead, c.ReminderMinutes, c.CheckedAtUtc, c.SyncedAtUtc, c.SyncError);

    internal static async Task<Results<Ok<CalendarView>, NotFound>> GetAsync(TenantCalendar calendar, CancellationToken cancellationToken) =>
        await calendar.ConnectionAsync(cancellationToken) is { } connection ? TypedResults.Ok(View(connection)) : TypedResults.NotFound();

    internal static async Task<Results<Ok<CalendarView>, ValidationProblem, ProblemHttpResult>> SaveAsync(
        CalendarBody body, ParleyDb db, TenantScope scope, TenantCalendar calendar, CalDavClient caldav, CalendarSecrets secrets,
        WorkQueue work, IOptions<CalendarOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var existing = await calendar.ConnectionAsync(cancellationToken);
        var tenant = await db.Tenants.FindAsync([scope.TenantId()], cancellationToken);
        var errors = Validate(body, existing, out var url);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var username = body.Username!.Trim();
        // A password left out keeps the stored one, as long as the address and user stay the same.
        var password = string.IsNullOrEmpty(body.Password) ? secrets.Unprotect(existing!.ProtectedPassword) : body.Password;
        try
        {
            await caldav.CheckAsync(new CalDavAccount(url!, username, password), cancellationToken);
        }
        catch (CalDavException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The calendar could not be connected", detail: ex.Message);
        }

        var connection = existing ?? new CalendarConnection
        {
            Id = Guid.CreateVersion7(),
            TenantId = scope.TenantId(),
            CaldavUrl = "",
            Username = "",
            ProtectedPassword = "",
            TimeZone = tenant!.TimeZone,
            HoursJson = BusinessHours.Serialize(BusinessHours.Default),
        };
        connection.CaldavUrl = url!.AbsoluteUri;
        connection.Username = username;
        connection.ProtectedPassword = secrets.Protect(password);
        connection.TimeZone = body.TimeZone?.Trim() is { Length: > 0 } zone ? zone : connection.TimeZone;
        connection.HoursJson = body.Hours is { } hours ? BusinessHours.Serialize(hours) : connection.HoursJson;
        connection.SlotMinutes = body.SlotMinutes ?? connection.SlotMinutes;
        connection.BufferMinutes = body.BufferMinutes ?? connection.BufferMinutes;
        connection.DaysAhead = body.DaysAhead ?? connection.DaysAhead;
        connection.ReminderMinutes = body.ReminderMinutes ?? connection.ReminderMinutes;
        connection.CheckedAtUtc = time.GetUtcNow().UtcDateTime;
        connection.SyncError = null;
        if (existing is null)
        {
            db.CalendarConnections.Add(connection);
        }

        await CalendarSync.ScheduleAsync(work, connection.TenantId, time.GetUtcNow().UtcDateTime + options.Value.SyncInterval, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(connection));
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteAsync(ParleyDb db, TenantCalendar calendar, CancellationToken cancellationToken)
    {
        if (await calendar.ConnectionAsync(cancellationToken) is not { } connection)
        {
            return TypedResults.NotFound();
        }

        db.CalendarConnections.Remove(connection);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<List<SlotView>>, ValidationProblem, ProblemHttpResult>> SlotsAsync(
        DateTimeOffset? from, DateTimeOffset? to, TenantCalendar calendar, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await calendar.ConnectionAsync(cancellationToken) is not { } connection)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No calendar is connected", detail: "Connect one with PUT /api/calendar first.");
        }

        var start = (from ?? time.GetUtcNow()).UtcDateTime;
        var end = to?.UtcDateTime ?? start.AddDays(connection.DaysAhead);
        if (end <= start || end - start > TimeSpan.FromDays(MaxSlotRangeDays))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["to"] = [$"to must be after from, and at most {MaxSlotRangeDays} days later."],
            });
        }

        List<Slot> slots;
        try
        {
            slots = await calendar.FreeSlotsAsync(connection, start, end, cancellationToken);
        }
        catch (CalDavException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The calendar could not be read", detail: ex.Message);
        }

        var zone = BookingRules.Of(connection).Zone;
        return TypedResults.Ok(slots.Select(s => new SlotView(Local(s.StartUtc, zone), Local(s.EndUtc, zone))).ToList());
    }

    internal static DateTimeOffset Local(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), zone);

    private static Dictionary<string, string[]> Validate(CalendarBody body, CalendarConnection? existing, out Uri? url)
    {
        var errors = new Dictionary<string, string[]>();
        url = null;
        if (string.IsNullOrWhiteSpace(body.CaldavUrl) || !Uri.TryCreate(body.CaldavUrl.Trim(), UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
        {
            errors["caldavUrl"] = ["caldavUrl must be the calendar's http or https address."];
        }
        else if (url.UserInfo.Length > 0)
        {
            errors["caldavUrl"] = ["Put the user name and password in their own fields, not in the address."];
        }
        else if (url.AbsoluteUri.Length > 2000)
        {
            errors["caldavUrl"] = ["caldavUrl is longer than 2000 characters."];
        }

        if (string.IsNullOrWhiteSpace(body.Username) || body.Username.Length > 320)
        {
            errors["username"] = ["username is required (at most 320 characters)."];
        }

        var samePlace = existing is not null && url is not null && existing.CaldavUrl == url.AbsoluteUri && existing.Username == body.Username?.Trim();
        if (string.IsNullOrEmpty(body.Password) && !samePlace)
        {
            errors["password"] = ["password is required (an app password for Google, iCloud and Fastmail)."];
        }
        else if (body.Password is { Length: > 1000 })
        {
            errors["password"] = ["password is longer than 1000 characters."];
        }

        if (body.TimeZone is { Length: > 0 } zone && !TimeZoneInfo.TryFindSystemTimeZoneById(zone.Trim(), out _))
        {
            errors["timeZone"] = [$"\"{zone}\" is not an IANA time zone (e.g. America/Toronto)."];
        }

        if (body.Hours is { } hours && BusinessHours.Problem(hours) is { } problem)
        {
            errors["hours"] = [problem];
        }

        Range(errors, "slotMinutes", body.SlotMinutes, 5, 480);
        Range(errors, "bufferMinutes", body.BufferMinutes, 0, 240);
        Range(errors, "daysAhead", body.DaysAhead, 1, 90);
        Range(errors, "reminderMinutes", body.ReminderMinutes, 0, 7 * 24 * 60);
        return errors;
    }

    private static void Range(Dictionary<string, string[]> errors, string field, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors[field] = [$"{field} must be between {min} and {max}."];
        }
    }
}
