using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Booking;

/// <summary>The current tenant's calendar: its connection, and its free slots read fresh from the server.</summary>
public sealed class TenantCalendar(ParleyDb db, CalDavClient caldav, CalendarSecrets secrets, TimeProvider time)
{
    public Task<CalendarConnection?> ConnectionAsync(CancellationToken cancellationToken) =>
        db.CalendarConnections.FirstOrDefaultAsync(cancellationToken);

    public CalDavAccount Account(CalendarConnection connection) =>
        new(new Uri(connection.CaldavUrl), connection.Username, secrets.Unprotect(connection.ProtectedPassword));

    public async Task<List<Busy>> BusyAsync(CalendarConnection connection, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var events = await caldav.EventsAsync(Account(connection), fromUtc, toUtc, cancellationToken);
        return BusyTimes.Read(events.Select(e => e.Ics), fromUtc, toUtc, BookingRules.Of(connection).Zone);
    }

    public async Task<List<Slot>> FreeSlotsAsync(CalendarConnection connection, DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var rules = BookingRules.Of(connection);
        var from = fromUtc < now ? now : fromUtc;
        var to = toUtc > now.AddDays(rules.DaysAhead) ? now.AddDays(rules.DaysAhead) : toUtc;
        if (to <= from)
        {
            return [];
        }

        var busy = await BusyAsync(connection, from.AddMinutes(-rules.BufferMinutes), to.AddMinutes(rules.BufferMinutes), cancellationToken);
        return FreeSlots.Compute(rules, busy, from, to, now);
    }
}
