using Parley.Accounts;

namespace Parley.Agent;

public enum ActivityKind
{
    Reply,
    Skipped,
    Outcome,
    Paused,
    Resumed,
    ModelError,
    StaleReplyDiscarded,
    OptedOut,
    OptedIn,

    /// <summary>A business question the knowledge does not answer: the agent deferred to the team and recorded a gap.</summary>
    KnowledgeGap,

    /// <summary>A webhook endpoint failed for too long and was disabled.</summary>
    WebhookDisabled,

    /// <summary>A payment, a plan change or an auto-recharge (and why one was skipped).</summary>
    Billing,

    /// <summary>The team was emailed: a conversation needs attention, a call was booked, or the wallet is low.</summary>
    Alert,

    /// <summary>Suggest mode: the agent drafted a reply for a person to send.</summary>
    Drafted,

    /// <summary>A person sent the agent's draft, as written or edited (the detail names the person).</summary>
    DraftSent,

    /// <summary>A draft was discarded: by a person (named), a newer text, or a person's own reply.</summary>
    DraftDiscarded,

    /// <summary>A person changed how the agent answers (Autopilot, Suggest, Off).</summary>
    ModeChanged,

    FollowUpScheduled,
    FollowUpSent,

    /// <summary>A scheduled follow-up will not go out, and why (the contact texted, a person replied…).</summary>
    FollowUpCancelled,

    /// <summary>A conversation given to a teammate, or to nobody.</summary>
    Assigned,
}

/// <summary>One line of the AI activity log: what the agent did or did not do, and why.</summary>
public sealed class ActivityEntry : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? ConversationId { get; set; }
    public ActivityKind Kind { get; set; }
    public required string Detail { get; set; }
    public AgentOutcome? Outcome { get; set; }
    public string? Model { get; set; }
    public int? LatencyMs { get; set; }
    public int? InputTokens { get; set; }
    public int? OutputTokens { get; set; }

    /// <summary>For a reply: the knowledge passages it stated facts from, as a JSON array of {id, title}.</summary>
    public string? SourcesJson { get; set; }

    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>A callback the agent booked, at the time the contact agreed (stored in UTC; shown in the
/// tenant's time zone).</summary>
public sealed class Callback : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ConversationId { get; set; }
    public Guid ContactId { get; set; }
    public required string ContactNumber { get; set; }
    public DateTime DueAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }

    /// <summary>Booked, moved or cancelled; a callback without a calendar stays Booked.</summary>
    public CallbackStatus Status { get; set; }

    /// <summary>The calendar event's UID, its address on the CalDAV server and its ETag, when the callback is on a calendar.</summary>
    public string? EventUid { get; set; }
    public string? EventHref { get; set; }
    public string? EventETag { get; set; }
}

public enum CallbackStatus
{
    Booked,
    Moved,
    Cancelled,
}

/// <summary>Something known about a contact from another channel (a call summary, an email), given to the model.</summary>
public sealed class ContactNote : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ContactId { get; set; }
    public required string Text { get; set; }
    public string? Channel { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
