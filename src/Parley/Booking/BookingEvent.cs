using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace Parley.Booking;

/// <summary>The calendar event of a booked callback, written with Ical.Net: who to call and where the conversation is.</summary>
public static class BookingEvent
{
    public static string Ics(string uid, Slot slot, string contactName, string contactNumber, string conversationLink, DateTime nowUtc)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//Parley//Calendar booking//EN" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = uid,
            DtStamp = new CalDateTime(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc)),
            DtStart = new CalDateTime(DateTime.SpecifyKind(slot.StartUtc, DateTimeKind.Utc)),
            DtEnd = new CalDateTime(DateTime.SpecifyKind(slot.EndUtc, DateTimeKind.Utc)),
            Summary = $"Call {contactName} ({contactNumber})",
            Description = $"Booked by text with Parley. Conversation: {conversationLink}",
        });
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
