using Parley.Knowledge;

namespace Parley.Agent;

/// <summary>The model seam: the offline rules model by default, or an OpenAI-compatible endpoint.</summary>
public interface IAgentModel
{
    string Name { get; }

    Task<AgentDecision> DecideAsync(AgentContext context, CancellationToken cancellationToken);
}

public enum AgentOutcome
{
    Ongoing,
    AppointmentScheduled,
    NotInterested,
    NeedsHuman,
    WrongPerson,
    MaxTurnsReached,
}

public enum Speaker
{
    Agent,
    Contact,
    Human,
}

public sealed record TranscriptLine(Speaker From, string Text, DateTime AtUtc);

/// <summary>Everything the model may use for one turn. Times are the tenant's local wall-clock.</summary>
public sealed record AgentContext(
    string BusinessName,
    string SystemPrompt,
    string? Guide,
    IReadOnlyList<TranscriptLine> History,
    string? ContactFirstName,
    string? ClientFirstName,
    bool IdentityConfirmed,
    IReadOnlyList<string> ContactNotes,
    DateTime LocalNow,
    string TimeZoneId,
    int ReplyLengthLimit = 160)
{
    /// <summary>The business's own passages that match the texter's latest words, best first; the only facts
    /// about the business a reply may state.</summary>
    public IReadOnlyList<KnowledgePassage> Knowledge { get; init; } = [];

    /// <summary>With a calendar connected: the free times to offer, numbered in this order. Parley reads the
    /// texter's pick and books it itself; a callbackAt must be one of these.</summary>
    public IReadOnlyList<CalendarTime> CalendarTimes { get; init; } = [];

    /// <summary>Set when the contact has gone quiet and this turn writes a follow-up, not an answer.</summary>
    public FollowUpAsk? FollowUp { get; init; }
}

/// <summary>The follow-up to write: which one of how many, whether the contact asked to be texted now, and whether
/// it is the last.</summary>
public sealed record FollowUpAsk(int Number, int Of, bool Requested, bool Last);

/// <summary>A free time on the business's calendar: as the texter reads it, and as the tenant's wall-clock.</summary>
public sealed record CalendarTime(string Label, DateTime TenantLocal);

/// <summary>The structured decision: the outcome is a field, never parsed out of prose.</summary>
public sealed record AgentDecision(
    string? Reply,
    AgentOutcome Outcome,
    string? ContactFirstName,
    DateTime? CallbackAtLocal,
    bool? IdentityConfirmed = null,
    AgentUsage? Usage = null)
{
    /// <summary>The ids of the passages the reply states facts from (always among the context's).</summary>
    public IReadOnlyList<Guid> Sources { get; init; } = [];

    /// <summary>A question about the business that nothing known answers: the reply defers to the team and
    /// the question is recorded as a knowledge gap.</summary>
    public string? UnansweredQuestion { get; init; }
}

public sealed record AgentUsage(string Model, TimeSpan Latency, int? InputTokens, int? OutputTokens);
