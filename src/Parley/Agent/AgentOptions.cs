namespace Parley.Agent;

/// <summary>Bound from <c>Parley:Agent</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Parley:Agent";

    /// <summary>How long to wait after a contact's latest text before answering, so a burst of texts
    /// gets one reply.</summary>
    public double DebounceSeconds { get; set; } = 3;

    /// <summary>A whole turn's model call (its own retries included) that takes longer is abandoned and the
    /// turn skipped and logged.</summary>
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Failure score at which an agent pauses itself (a transient failure adds 1, a permanent one
    /// <see cref="PermanentFailureWeight"/>; a delivered text resets the score).</summary>
    public int FailureThreshold { get; set; } = 6;

    public int PermanentFailureWeight { get; set; } = 3;

    /// <summary>How long a self-paused agent waits before it resumes on its own.</summary>
    public TimeSpan AutoPauseDuration { get; set; } = TimeSpan.FromHours(1);
}

public enum AiProvider
{
    Rules,
    OpenAI,
}

/// <summary>Bound from <c>Parley:Ai</c>; the endpoint, key and model of the OpenAI-compatible provider are
/// read from the same section by <see cref="OpenAi.OpenAiModelOptions"/>.</summary>
public sealed class AiOptions
{
    public const string Section = "Parley:Ai";

    public AiProvider Provider { get; set; } = AiProvider.Rules;
}
