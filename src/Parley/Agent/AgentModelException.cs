namespace Parley.Agent;

/// <summary>
/// The model could not produce a usable decision for this turn (bad answer twice, HTTP error, timeout,
/// connection failure). The caller logs <see cref="Reason"/> and skips the turn; nothing is sent.
/// </summary>
public sealed class AgentModelException : Exception
{
    public AgentModelException()
        : this("The model failed.")
    {
    }

    public AgentModelException(string reason)
        : this(reason, null)
    {
    }

    public AgentModelException(string reason, Exception? innerException)
        : base(reason, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the turn has no decision; safe to log (never holds the API key or message bodies).</summary>
    public string Reason { get; }
}
