using Parley.Accounts;
using Parley.Agent;
using Parley.Messaging;

namespace Parley.Conversations;

/// <summary>A person a tenant texts with. A client record (<see cref="IsClient"/>) makes its numbers "known texters".</summary>
public sealed class Contact : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Company { get; set; }
    public bool IsClient { get; set; }

    /// <summary>The contact's own IANA time zone, when known: it overrides the zone guessed from the area code
    /// for quiet hours.</summary>
    public string? TimeZone { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public List<ContactPhone> Phones { get; set; } = [];
}

/// <summary>One number of a contact. Opt-out lives here: it is per tenant, never global.</summary>
public sealed class ContactPhone : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public required string Number { get; set; }

    /// <summary>Mobile, fixed line, toll free…: set when the number is added; null for numbers stored before Parley kept it.</summary>
    public PhoneType? Type { get; set; }

    public DateTime? OptedOutAtUtc { get; set; }

    /// <summary>When the carrier said this number cannot receive texts (landline, invalid, opted out at the
    /// carrier); campaigns skip it and it never counts against the sender.</summary>
    public DateTime? UndeliverableAtUtc { get; set; }
    public string? UndeliverableReason { get; set; }

    /// <summary>A new number of a contact, its type read from the number.</summary>
    public static ContactPhone Create(Guid tenantId, Guid contactId, string number) => new()
    {
        Id = Guid.CreateVersion7(),
        TenantId = tenantId,
        ContactId = contactId,
        Number = number,
        Type = PhoneNumberParser.Default.TypeOf(number),
    };
}

public sealed class Conversation : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public Contact Contact { get; set; } = null!;

    /// <summary>The tenant's number this conversation is held on.</summary>
    public required string TenantNumber { get; set; }

    public Guid? AssistantId { get; set; }
    public string? Guide { get; set; }
    public bool AiPaused { get; set; }

    /// <summary>This conversation's own AI mode; null follows its assistant's. Independent of the pause: a
    /// paused conversation stays silent whatever its mode, and resuming it does not change the mode.</summary>
    public AiMode? Mode { get; set; }

    /// <summary>The agent's reply waiting for a person, in Suggest mode.</summary>
    public ReplyDraft? Draft { get; set; }

    public AgentOutcome? Outcome { get; set; }
    public int Turns { get; set; }
    public int SkippedReplies { get; set; }

    /// <summary>Something the business should know about this conversation (e.g. replies skipped for an empty wallet).</summary>
    public string? Notice { get; set; }
    public bool IdentityConfirmed { get; set; }

    /// <summary>The model failed on this conversation's latest turn and nobody answered: it needs attention
    /// until a later turn succeeds or a person replies.</summary>
    public DateTime? ModelFailedAtUtc { get; set; }

    /// <summary>The agent told the texter the team will confirm something the knowledge does not answer, and the
    /// tenant wants such questions in Needs Attention: set until a person replies or resumes the AI.</summary>
    public DateTime? UnansweredQuestionAtUtc { get; set; }

    /// <summary>The free times the agent last offered from the calendar (UTC, JSON array), so "the second one" can be read.</summary>
    public string? OfferedSlotsJson { get; set; }

    /// <summary>The campaign that last texted this conversation: its AI switch gates the agent's replies.</summary>
    public Guid? CampaignId { get; set; }

    /// <summary>When the team was last emailed about this conversation (at most one alert per window).</summary>
    public DateTime? AlertedAtUtc { get; set; }

    /// <summary>The teammate (a user of the same tenant) who works this conversation; null when nobody does.</summary>
    public Guid? AssigneeUserId { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime LastMessageAtUtc { get; set; }
    public List<ConversationPhone> Phones { get; set; } = [];
}

/// <summary>The AI state of one phone number inside a conversation: a contact with several numbers can be
/// paused, resumed and counted per number.</summary>
public sealed class ConversationPhone : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public required string Number { get; set; }
    public bool AiPaused { get; set; }
    public AgentOutcome? Outcome { get; set; }
    public int Turns { get; set; }
}

public enum MessageDirection
{
    Inbound,
    Outbound,
}

public enum MessageAuthor
{
    Contact,
    Agent,
    Human,
    Campaign,

    /// <summary>Parley itself (compliance answers such as HELP/INFO).</summary>
    System,
}

public sealed class Message : ITenantOwned
{
    /// <summary>Increasing across the database, so "newer than" is a plain comparison.</summary>
    public long Id { get; set; }

    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public MessageDirection Direction { get; set; }
    public MessageAuthor Author { get; set; }
    public required string ContactNumber { get; set; }
    public required string TenantNumber { get; set; }
    public required string Text { get; set; }
    public SmsEncoding Encoding { get; set; }
    public int Segments { get; set; }
    public MessageStatus Status { get; set; }
    public string? CarrierMessageId { get; set; }

    /// <summary>The wallet line that paid for this AI reply, refunded if the text is never sent.</summary>
    public string? ChargeKey { get; set; }

    /// <summary>Tries at the carrier; the same idempotency key is sent each time.</summary>
    public int SendAttempts { get; set; }
    public string? ErrorCode { get; set; }
    public string? Error { get; set; }

    /// <summary>For an AI reply: the knowledge passages it stated facts from, as a JSON array of {id, title}.</summary>
    public string? SourcesJson { get; set; }

    public DateTime CreatedAtUtc { get; set; }
    public DateTime StatusAtUtc { get; set; }

    public bool IsAi => Author == MessageAuthor.Agent;
}
