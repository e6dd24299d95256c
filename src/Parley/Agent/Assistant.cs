using Parley.Accounts;

namespace Parley.Agent;

/// <summary>An SMS agent's configuration: its voice (system prompt) and its limits.</summary>
public sealed class Assistant : ITenantOwned
{
    public const string DefaultPrompt =
        "You are a friendly assistant texting on behalf of the business. Keep replies short and plain, " +
        "learn the person's name, answer simply, and offer a quick callback at a time that suits them.";

    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string SystemPrompt { get; set; }
    public int MaxTurns { get; set; } = 10;
    public int ReplyLengthLimit { get; set; } = 160;
    public bool IsDefault { get; set; }

    /// <summary>How this agent answers its conversations unless a conversation sets its own mode.</summary>
    public AiMode Mode { get; set; }

    /// <summary>Hours of quiet before each follow-up, comma-separated (see <see cref="FollowUps.FollowUpSchedule"/>); null: none.</summary>
    public string? FollowUpHours { get; set; }

    /// <summary>Recent delivery failures of this agent's texts, permanent ones weighing more; a delivery resets it.</summary>
    public int DeliveryFailureScore { get; set; }

    /// <summary>Set when the agent paused itself after repeated delivery failures; it resumes on its own after this.</summary>
    public DateTime? AutoPausedUntilUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
