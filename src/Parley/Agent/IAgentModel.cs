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
    int ReplyLengthLimit = 160);

/// <summary>The structured decision: the outcome is a field, never parsed out of prose.</summary>
public sealed record AgentDecision(
    string? Reply,
    AgentOutcome Outcome,
    string? ContactFirstName,
    DateTime? CallbackAtLocal,
    bool? IdentityConfirmed = null,
    AgentUsage? Usage = null);

public sealed record AgentUsage(string Model, TimeSpan Latency, int? InputTokens, int? OutputTokens);
