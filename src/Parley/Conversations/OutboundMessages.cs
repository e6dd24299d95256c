using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Conversations;

/// <summary>Queues a text to a contact: stored as Pending with its encoding and segments, then sent by the
/// <see cref="OutboundSender"/>, which drains a conversation's pending texts in order (an outbox).</summary>
public sealed class OutboundMessages(ParleyDb db, WorkQueue work, TimeProvider time)
{
    /// <summary>Returns the error to show when the text cannot be sent as SMS (empty, too long), else null.</summary>
    public static string? Validate(string? text) =>
        SmsSegments.TryValidateForSending(text, out _, out var error) ? null : error;

    public Message Queue(Conversation conversation, string contactNumber, string text, MessageAuthor author)
    {
        var shape = SmsSegments.Measure(text);
        var now = time.GetUtcNow().UtcDateTime;
        var message = new Message
        {
            TenantId = conversation.TenantId,
            ConversationId = conversation.Id,
            Direction = MessageDirection.Outbound,
            Author = author,
            ContactNumber = contactNumber,
            TenantNumber = conversation.TenantNumber,
            Text = text,
            Encoding = shape.Encoding,
            Segments = shape.Segments,
            Status = MessageStatus.Pending,
            CreatedAtUtc = now,
            StatusAtUtc = now,
        };
        db.Messages.Add(message);
        conversation.LastMessageAtUtc = now;
        work.Enqueue(author == MessageAuthor.Campaign ? OutboundSender.CampaignWork : OutboundSender.Work, ConversationWork.For(conversation), conversation.TenantId);
        return message;
    }
}
