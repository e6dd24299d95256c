using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Work;

namespace Parley.Booking;

/// <summary>What a booking action did: the text to send, and the outcome and activity line it leaves.</summary>
public sealed record BookingDone(string Reply, AgentOutcome Outcome, string Detail, DateTimeOffset? CallbackAt);

/// <summary>
/// Books, moves and cancels callbacks on the tenant's CalDAV calendar. Every booking re-reads the calendar's busy
/// times just before it writes, so a time taken since it was offered gets alternatives instead of a double booking;
/// the event is created with If-None-Match and changed or deleted with the ETag it was last seen with.
/// </summary>
public sealed partial class CalendarBooking(
    ParleyDb db, TenantCalendar calendar, CalDavClient caldav, WorkQueue work, TimeProvider time, IOptions<CalendarOptions> options, IOptions<ParleyOptions> parley,
    ILogger<CalendarBooking> logger)
{
    /// <summary>The calendar as this turn sees it, or null without a calendar (or when it cannot be read: the turn
    /// then goes on as without one, and the reason is logged).</summary>
    public async Task<BookingState?> LoadAsync(Conversation conversation, string number, CancellationToken cancellationToken)
    {
        if (await calendar.ConnectionAsync(cancellationToken) is not { } connection)
        {
            return null;
        }

        var rules = BookingRules.Of(connection);
        var now = time.GetUtcNow().UtcDateTime;
        var booking = await ActiveCallbackAsync(conversation.Id, now, cancellationToken);
        List<Slot> free;
        try
        {
            free = await calendar.FreeSlotsAsync(connection, now, now.AddDays(rules.DaysAhead), cancellationToken);
        }
        catch (CalDavException ex)
        {
            LogUnreadable(logger, conversation.Id, ex.Message);
            return null;
        }

        var offered = SlotText.Read(conversation.OfferedSlotsJson).Where(s => s.StartUtc > now).ToList();
        return new BookingState(connection, rules, TexterZone(conversation.Contact, number, connection.TimeZone), now, free, offered, booking?.DueAtUtc);
    }

    /// <summary>The contact's own zone, else their number's (when it has one), else the calendar's.</summary>
    public static TimeZoneInfo TexterZone(Contact contact, string number, string fallbackZone)
    {
        if (contact.TimeZone is { } own && TimeZoneInfo.TryFindSystemTimeZoneById(own, out var zone))
        {
            return zone;
        }

        var zones = QuietHours.ZonesOf(number, fallbackZone);
        return zones.Count == 1 ? zones[0] : TimeZoneInfo.FindSystemTimeZoneById(fallbackZone);
    }

    public async Task<BookingDone> CarryOutAsync(BookingState state, BookingIntent intent, Conversation conversation, string number, CancellationToken cancellationToken)
    {
        var name = conversation.Contact.FirstName;
        switch (intent)
        {
            case CancelBooking:
                return await CancelAsync(state, conversation, name, cancellationToken);
            case BookSlot book:
                return await BookAsync(state, book.Slot, conversation, number, cancellationToken);
            case OfferSlots offer:
                return Offer(state, conversation, offer.Slots, offer.Lead);
            default:
                throw new ArgumentOutOfRangeException(nameof(intent), intent, "Unknown booking intent.");
        }
    }

    /// <summary>Remembers the times offered, so the next text can pick one, and says them.</summary>
    public BookingDone Offer(BookingState state, Conversation conversation, IReadOnlyList<Slot> slots, string? lead)
    {
        conversation.OfferedSlotsJson = SlotText.Serialize(slots);
        var outcome = state.BookedUtc is null ? AgentOutcome.Ongoing : AgentOutcome.AppointmentScheduled;
        if (slots.Count == 0)
        {
            return new(Join(lead, "I have no open times in the next few days; someone from the team will reach out to set one up."), AgentOutcome.NeedsHuman,
                "No free time on the calendar to offer: handed to the team.", null);
        }

        var choices = state.SayChoices(slots);
        var reply = Join(lead, $"I can call you {choices}. Which works best?");
        return new(reply, outcome, $"Offered {choices}.", null);
    }

    private async Task<BookingDone> BookAsync(BookingState state, Slot wanted, Conversation conversation, string number, CancellationToken cancellationToken)
    {
        var label = state.Say(wanted.StartUtc);
        if (wanted.StartUtc <= state.NowUtc || !state.Rules.InsideHours(wanted.StartUtc))
        {
            return Offer(state, conversation, state.Nearest(wanted.StartUtc, state.Free), $"Sorry, {label} is outside our hours.");
        }

        var callback = await ActiveCallbackAsync(conversation.Id, state.NowUtc, cancellationToken);
        var account = calendar.Account(state.Connection);
        var buffer = TimeSpan.FromMinutes(state.Rules.BufferMinutes);
        var events = await caldav.EventsAsync(account, wanted.StartUtc - buffer - TimeSpan.FromDays(1), wanted.EndUtc + buffer, cancellationToken);
        var others = events.Where(e => callback?.EventHref is not { } href || e.Href.AbsoluteUri != href).Select(e => e.Ics);
        var busy = BusyTimes.Read(others, wanted.StartUtc - buffer, wanted.EndUtc + buffer, state.Rules.Zone);
        if (!FreeSlots.IsFree(wanted, busy, state.Rules.BufferMinutes))
        {
            var fresh = await calendar.FreeSlotsAsync(state.Connection, state.NowUtc, state.NowUtc.AddDays(state.Rules.DaysAhead), cancellationToken);
            var alternatives = state.Nearest(wanted.StartUtc, fresh.Where(s => s != wanted).ToList());
            return Offer(state, conversation, alternatives, $"Sorry, {label} is no longer free.");
        }

        var contact = conversation.Contact;
        var who = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } full ? full : "a contact";
        var link = parley.Value.Link($"/conversations/{conversation.Id}");
        conversation.OfferedSlotsJson = null;
        var at = new DateTimeOffset(DateTime.SpecifyKind(state.Local(wanted.StartUtc), DateTimeKind.Unspecified), state.TexterZone.GetUtcOffset(wanted.StartUtc));
        if (callback?.EventHref is { } moving)
        {
            var href = new Uri(moving);
            var current = await caldav.GetAsync(account, href, cancellationToken);
            var uid = callback.EventUid ?? Guid.CreateVersion7().ToString();
            callback.EventETag = await caldav.PutAsync(account, href, BookingEvent.Ics(uid, wanted, who, number, link, state.NowUtc),
                current?.ETag, cancellationToken) ?? current?.ETag;
            var from = state.Say(callback.DueAtUtc);
            callback.DueAtUtc = wanted.StartUtc;
            callback.Status = CallbackStatus.Moved;
            CalendarReminders.Schedule(work, state.Connection, callback, state.NowUtc);
            return new(Join(Thanks(contact.FirstName, "Done"), $"I moved your call to {label}. Talk then!"), AgentOutcome.AppointmentScheduled,
                $"Moved the calendar event from {from} to {label}.", at);
        }

        var newUid = $"{Guid.CreateVersion7()}@parley";
        var newHref = caldav.HrefFor(account, newUid);
        var etag = await caldav.PutAsync(account, newHref, BookingEvent.Ics(newUid, wanted, who, number, link, state.NowUtc), null, cancellationToken);
        var booked = new Callback
        {
            Id = Guid.CreateVersion7(),
            TenantId = conversation.TenantId,
            ConversationId = conversation.Id,
            ContactId = contact.Id,
            ContactNumber = number,
            DueAtUtc = wanted.StartUtc,
            CreatedAtUtc = state.NowUtc,
            Status = CallbackStatus.Booked,
            EventUid = newUid,
            EventHref = newHref.AbsoluteUri,
            EventETag = etag,
        };
        db.Callbacks.Add(booked);
        CalendarReminders.Schedule(work, state.Connection, booked, state.NowUtc);
        await CalendarSync.ScheduleAsync(work, conversation.TenantId, state.NowUtc + options.Value.SyncInterval, cancellationToken);
        return new(Join(Thanks(contact.FirstName, "Perfect"), $"You're booked for a call {label}. Talk soon!"), AgentOutcome.AppointmentScheduled,
            $"Booked {label} on the calendar.", at);
    }

    private async Task<BookingDone> CancelAsync(BookingState state, Conversation conversation, string? name, CancellationToken cancellationToken)
    {
        var callback = await ActiveCallbackAsync(conversation.Id, state.NowUtc, cancellationToken);
        if (callback is null)
        {
            return new("Noted, someone from the team will follow up.", AgentOutcome.NeedsHuman, "Asked to cancel, but no booking was found.", null);
        }

        if (callback.EventHref is { } href)
        {
            var account = calendar.Account(state.Connection);
            var current = await caldav.GetAsync(account, new Uri(href), cancellationToken);
            if (current is not null)
            {
                await caldav.DeleteAsync(account, new Uri(href), current.ETag, cancellationToken);
            }
        }

        var label = state.Say(callback.DueAtUtc);
        callback.Status = CallbackStatus.Cancelled;
        conversation.OfferedSlotsJson = null;
        conversation.Notice = $"They cancelled their call for {label}; follow up to find another time.";
        return new(Join(Thanks(name, "No problem"), $"I've cancelled your call for {label}. Someone from the team will follow up."),
            AgentOutcome.NeedsHuman, $"Cancelled the calendar event for {label} at the contact's request.", null);
    }

    private Task<Callback?> ActiveCallbackAsync(Guid conversationId, DateTime nowUtc, CancellationToken cancellationToken) =>
        db.Callbacks.Where(c => c.ConversationId == conversationId && c.EventHref != null && c.Status != CallbackStatus.Cancelled && c.DueAtUtc > nowUtc)
            .OrderByDescending(c => c.CreatedAtUtc).FirstOrDefaultAsync(cancellationToken);

    private static string Thanks(string? name, string word) => name is null ? $"{word}!" : $"{word}, {name}!";

    private static string Join(string? lead, string text) => lead is null ? text : $"{lead} {text}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The calendar could not be read for conversation {ConversationId}; the turn goes on without it: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, Guid conversationId, string reason);
}
