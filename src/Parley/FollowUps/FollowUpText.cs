using Parley.Agent;

namespace Parley.FollowUps;

/// <summary>The template follow-up: short, by name, from the business, and the last one says it is the last.
/// What the offline rules model sends (it has nothing better to say), and the fallback when the OpenAI-compatible
/// model cannot write one; guarded like any reply.</summary>
public static class FollowUpText
{
    public static string Write(FollowUp followUp, int steps, string? firstName, string business, int lengthLimit)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        var name = string.IsNullOrWhiteSpace(firstName) ? "there" : firstName.Trim();
        var text = followUp.Requested ? $"Hi {name}, it's {business}. You asked us to text you around now: is this a good time to pick up where we left off?"
            : IsLast(followUp, steps) ? $"Hi {name}, {business} here one last time. Text back whenever you'd like to pick this up again."
            : followUp.Step == 0 ? $"Hi {name}, just checking in from {business}. Any questions I can help with?"
            : $"Hi {name}, {business} here again. Still happy to help whenever it suits you.";
        return TurnRunner.Guard(text, lengthLimit) ?? $"Hi {name}, just checking in.";
    }

    /// <summary>The last step of a schedule of several says so.</summary>
    public static bool IsLast(FollowUp followUp, int steps)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        return !followUp.Requested && followUp.Step + 1 >= steps && steps > 1;
    }
}
