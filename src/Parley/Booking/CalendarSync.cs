using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Data;
using Parley.Work;

namespace Parley.Booking;

/// <summary>Payload of one tenant's calendar sync.</summary>
public sealed record CalendarSyncWork(Guid TenantId);

/// <summary>
/// Picks up what the business changed on its own calendar: a booked event deleted there cancels the callback (and
/// the conversation needs attention); one moved there moves the callback and its reminder. Runs through the durable
/// queue every <see cref="CalendarOptions.SyncInterval"/> while a calendar is connected; a server that cannot be
/// read is recorded on the connection and tried again next time.
/// </summary>
public sealed partial class CalendarSync(
    ParleyDb db, TenantCalendar calendar, CalDavClient caldav, WorkQueue work, TimeProvider time, IOptions<CalendarOptions> options, ILogger<CalendarSync> logger)
    : IWorkHandler
{
    public static readonly WorkKind<CalendarSyncWork> Work = new("calendar.sync", (w, _) => $"calendar:{w.TenantId:N}");

    /// <summary>Makes sure the tenant's next sync is queued; saved with the caller's changes.</summary>
    public static Task ScheduleAsync(WorkQueue work, Guid tenantId, DateTime dueAtUtc, CancellationToken cancellationToken) =>
        work.ScheduleOnceAsync(Work, new CalendarSyncWork(tenantId), tenantId, dueAtUtc, cancellationToken);

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (await calendar.ConnectionAsync(cancellationToken) is not { } connection)
        {
            return WorkResult.Done; // disconnected: the syncs stop
        }

        var now = time.GetUtcNow().UtcDateTime;
        var account = calendar.Account(connection);
        // Only events on the calendar connected now: after a switch to another calendar the old events are not
        // "deleted", just out of reach.
        var booked = (await db.Callbacks.Where(c => c.EventHref != null && c.Status != CallbackStatus.Cancelled && c.DueAtUtc > now).ToListAsync(cancellationToken))
            .Where(c => c.EventHref!.StartsWith(account.Collection.AbsoluteUri, StringComparison.Ordinal)).ToList();
        try
        {
            foreach (var callback in booked)
            {
                var current = await caldav.GetAsync(account, new Uri(callback.EventHref!), cancellationToken);
                if (current is null)
                {
                    await CancelledThereAsync(callback, cancellationToken);
                }
                else if (StartOf(current.Ics) is { } start && start != callback.DueAtUtc)
                {
                    callback.DueAtUtc = start;
                    callback.Status = CallbackStatus.Moved;
                    callback.EventETag = current.ETag;
                    CalendarReminders.Schedule(work, connection, callback, now);
                }
            }

            connection.SyncedAtUtc = now;
            connection.SyncError = null;
        }
        catch (CalDavException ex)
        {
            connection.SyncError = ex.Message.Length <= 500 ? ex.Message : ex.Message[..500];
            LogSyncFailed(logger, connection.TenantId, ex.Message);
        }

        await ScheduleAsync(work, connection.TenantId, now + options.Value.SyncInterval, cancellationToken);
        return WorkResult.Done;
    }

    private async Task CancelledThereAsync(Callback callback, CancellationToken cancellationToken)
    {
        callback.Status = CallbackStatus.Cancelled;
        var conversation = await db.Conversations.Include(c => c.Phones).FirstAsync(c => c.Id == callback.ConversationId, cancellationToken);
        conversation.Notice = "The booked call was deleted from the calendar; follow up with the contact.";
        conversation.Outcome = AgentOutcome.NeedsHuman;
        foreach (var phone in conversation.Phones.Where(p => p.Number == callback.ContactNumber))
        {
            phone.Outcome = AgentOutcome.NeedsHuman;
        }
    }

    private static DateTime? StartOf(string ics)
    {
        try
        {
            return Ical.Net.Calendar.Load(ics)?.Events.FirstOrDefault(e => e.RecurrenceIdentifier is null)?.DtStart is { } start && start.HasTime
                ? DateTime.SpecifyKind(start.AsUtc, DateTimeKind.Utc)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException or NotSupportedException or OverflowException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Calendar sync failed for tenant {TenantId}: {Reason}")]
    private static partial void LogSyncFailed(ILogger logger, Guid tenantId, string reason);
}
