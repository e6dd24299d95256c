namespace Parley.Agent;

/// <summary>How the agent answers: on its own, by drafting for a person to send, or not at all. Set on an
/// assistant; a conversation's own mode, when set, overrides its assistant's.</summary>
public enum AiMode
{
    /// <summary>The agent replies on its own.</summary>
    Autopilot,

    /// <summary>The agent drafts each reply; a person sends it as is, edits then sends it, or discards it.</summary>
    Suggest,

    /// <summary>No AI replies (opt-outs are still honoured).</summary>
    Off,
}
