namespace Parley.Agent;

/// <summary>The closing messages of the safety outcomes, the same whichever model is configured.</summary>
public static class SafetyReplies
{
    /// <summary>An explicit ask for a person.</summary>
    public static string HandOff(string business) => $"Got it, someone from {business} will reach out to you shortly.";

    /// <summary>A sensitive situation: sorry first, then a person, never a brush-off.</summary>
    public static string Kind(string business) =>
        $"I'm so sorry to hear that. Someone from {business} will reach out to you personally, and we won't send more automated texts.";

    /// <summary>A business question nothing known answers: honest, no invented fact.</summary>
    public const string Deferral = "Good question, I'll have the team confirm that for you.";
}
