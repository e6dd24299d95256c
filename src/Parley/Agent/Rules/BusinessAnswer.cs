using Parley.Knowledge;

namespace Parley.Agent.Rules;

/// <summary>
/// What the rules model makes of a question about the business. A question the phrase tables recognise
/// (price, process, the company, where the number came from) is answered from the best passage, or deferred
/// to the team when none matches. A text they miss is still answered when it reads as a question and one
/// passage matches it strongly. Who we are needs no passage.
/// </summary>
/// <param name="IsQuestion">a question the agent must answer or defer, never ignore</param>
/// <param name="Passage">the passage to quote, or null when nothing known answers it</param>
internal sealed record BusinessAnswer(bool IsQuestion, KnowledgePassage? Passage)
{
    /// <summary>A retrieval score at which a passage answers a question the phrase tables did not recognise.</summary>
    public const double StrongMatch = 0.3;

    public static BusinessAnswer Read(AgentContext context, BurstReading reading, Scheduling scheduling)
    {
        var best = context.Knowledge.Count > 0 ? context.Knowledge[0] : null;
        if (IntentClassifier.IsBusinessQuestion(reading.Text))
        {
            return new(true, best);
        }

        var strong = best is { Score: >= StrongMatch }
            && IntentClassifier.LooksLikeQuestion(reading.Text, reading.Burst)
            && !scheduling.WantsCall
            && !IntentClassifier.AsksWhoIsThis(reading.Text)
            && !IntentClassifier.AsksIfBot(reading.Text);
        return strong ? new(true, best) : new(false, null);
    }

    /// <summary>Who we are, when they asked: always known, no passage needed.</summary>
    public static string? Identity(AgentContext context, BurstReading reading) =>
        IntentClassifier.AsksIfBot(reading.Text) ? $"I'm an automated assistant for {context.BusinessName}."
        : IntentClassifier.AsksWhoIsThis(reading.Text) ? $"This is {context.BusinessName}."
        : null;
}
