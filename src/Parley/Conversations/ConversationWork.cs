namespace Parley.Conversations;

/// <summary>Payload of work on one conversation: an agent turn, or draining its outbox.</summary>
/// <param name="ContactId">whose conversation it is; the serial key (empty on items queued before it was carried)</param>
public sealed record ConversationWork(Guid ConversationId, Guid ContactId)
{
    public static ConversationWork For(Conversation conversation)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        return new(conversation.Id, conversation.ContactId);
    }

    /// <summary>
    /// The one serial key of a conversation's inbound texts, agent turns and sends, so none of them runs while
    /// another does. It is the contact's: a contact has one active conversation (texts resume it whichever of
    /// the contact's numbers or the tenant's they use), and an inbound text knows its contact, or the id the
    /// contact it creates will get, before any conversation exists.
    /// </summary>
    public static string SerialKeyFor(Guid contactId) => $"contact:{contactId:N}";
}
