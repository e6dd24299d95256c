using Microsoft.EntityFrameworkCore;
using Parley.Agent;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Work;

namespace Parley.Booking;

/// <summary>Payload of one reminder: the callback, and the time it was for (a moved callback gets a new one).</summary>
public sealed record CalendarReminderWork(Guid CallbackId, DateTime DueAtUtc);

/// <summary>
/// Texts the contact before a calendar booking (the calendar's <see cref="CalendarConnection.ReminderMinutes"/>).
/// Nothing is sent for a cancelled callback or one moved away from the time the reminder was for; quiet hours
/// hold it back, and a reminder that could only go after the call starts is dropped.
/// </summary>
public sealed partial class CalendarReminders(ParleyDb db, OutboundMessages outbound, ActivityLog activity, TimeProvider time, ILogger<CalendarReminders> logger)
    : IWorkHandler
{
    public static readonly WorkKind<CalendarReminderWork> Work = new("calendar.reminder", (w, _) => $"callback:{w.CallbackId:N}");

    /// <summary>Queues the reminder for a booking just made or moved; saved with the caller's changes.</summary>
    public static void Schedule(WorkQueue work, CalendarConnection connection, Callback callback, DateTime nowUtc)
    {
        // A call booked closer than the lead needs no reminder: the confirmation was just sent.
        var due = callback.DueAtUtc.AddMinutes(-connection.ReminderMinutes);
        if (connection.ReminderMinutes > 0 && due > nowUtc)
        {
            work.Enqueue(Work, new CalendarReminderWork(callback.Id, callback.DueAtUtc), callback.TenantId, due);
        }
    }

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var job = Work.Read(item);
        var now = time.GetUtcNow().UtcDateTime;
        var callback = await db.Callbacks.FirstOrDefaultAsync(c => c.Id == job.CallbackId, cancellationToken);
        if (callback is null || callback.Status == CallbackStatus.Cancelled || callback.DueAtUtc != job.DueAtUtc || callback.DueAtUtc <= now)
        {
            return WorkResult.Done;
        }

        var conversation = await db.Conversations.Include(c => c.Contact).FirstAsync(c => c.Id == callback.ConversationId, cancellationToken);
        var tenant = await db.Tenants.FirstAsync(t => t.Id == callback.TenantId, cancellationToken);
        var allowed = QuietHours.NextAllowedUtc(callback.ContactNumber, now, tenant.TimeZone, conversation.Contact.TimeZone);
        if (allowed > now)
        {
            if (allowed < callback.DueAtUtc.AddMinutes(-5))
            {
                return WorkResult.RetryAt(allowed, "Quiet hours for the contact: the reminder waits.");
            }

            LogDropped(logger, callback.Id);
            return WorkResult.Done;
        }

        var zone = CalendarBooking.TexterZone(conversation.Contact, callback.ContactNumber, tenant.TimeZone);
        var label = SlotText.Label(callback.DueAtUtc, zone, now);
        var text = $"Reminder: your call with {tenant.Name} is {label}. Reply here if you need to move or cancel it.";
        outbound.Queue(conversation, callback.ContactNumber, text, MessageAuthor.Agent);
        activity.Record(tenant.Id, conversation.Id, ActivityKind.Reply, text);
        return WorkResult.Done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder for callback {CallbackId} dropped: quiet hours last until the call")]
    private static partial void LogDropped(ILogger logger, Guid callbackId);
}
