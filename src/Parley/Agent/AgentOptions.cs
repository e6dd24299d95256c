namespace Parley.Agent;

/// <summary>Bound from <c>Parley:Agent</c>.</summary>
public sealed class AgentOptions
{
    /// <summary>How long to wait after a contact's latest text before answering, so a burst of texts
    /// gets one reply.</summary>
    public double DebounceSeconds { get; set; } = 3;

    /// <summary>A model call that takes longer is abandoned and the turn retried later.</summary>
    public TimeSpan ModelTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public enum AiProvider
{
    Rules,
    OpenAI,
}

/// <summary>Bound from <c>Parley:Ai</c>.</summary>
public sealed class AiOptions
{
    public AiProvider Provider { get; set; } = AiProvider.Rules;
    public string? Endpoint { get; set; }
    public string? ApiKey { get; set; }
    public string? Model { get; set; }
}
