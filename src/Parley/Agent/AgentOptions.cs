namespace Parley.Agent;

/// <summary>Bound from <c>Parley:Agent</c>.</summary>
public sealed class AgentOptions
{
    /// <summary>How long to wait after a contact's latest text before answering, so a burst of texts
    /// gets one reply.</summary>
    public double DebounceSeconds { get; set; } = 3;

    /// <summary>A whole turn's model call (its own retries included) that takes longer is abandoned and the
    /// turn skipped and logged.</summary>
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromSeconds(90);
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
    public AiProvider Provider { get; set; } = AiProvider.Rules;
}
