using Parley.Agent;

namespace Parley.FollowUps;

/// <summary>The follow-up's words: short, by name, from the business, and the last one says it is the last.
/// Written from templates for every model (the offline rules model has nothing better to say), then guarded
/// like any reply.</summary>
public static class FollowUpText
{
    public static string Write(FollowUp followUp, int steps, string? firstName, string business, int lengthLimit)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        var name = string.IsNullOrWhiteSpace(firstName) ? "there" : firstName.Trim();
        var text = followUp.Requested ? $"Hi {name}, it's {business}. You asked us to text you around now: is this a good time to pick up where we left off?"
            : followUp.Step + 1 >= steps && steps > 1 ? $"Hi {name}, {business} here one last time. Text back whenever you'd like to pick this up again."
            : followUp.Step == 0 ? $"Hi {name}, just checking in from {business}. Any questions I can help with?"
            : $"Hi {name}, {business} here again. Still happy to help whenever it suits you.";
        return TurnRunner.Guard(text, lengthLimit) ?? $"Hi {name}, just checking in.";
    }
}
