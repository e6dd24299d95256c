using Parley.Knowledge;

namespace Parley.Agent.Rules;

/// <summary>
/// What the rules model makes of a question about the business. A question the phrase tables recognise
/// (price, process, the company, where the number came from) is answered from the best passage when it is
/// clearly the best; otherwise (no passage, or a near tie between two) it is deferred to the team and is a
/// knowledge gap: the agent could not answer it. A text the tables miss is still answered when it reads as a
/// question and one passage matches it strongly and clearly. Who we are needs no passage.
/// </summary>
/// <param name="IsQuestion">a question the agent must answer or defer, never ignore</param>
/// <param name="Passage">the passage to quote, or null when nothing known answers it clearly</param>
internal sealed record BusinessAnswer(bool IsQuestion, KnowledgePassage? Passage)
{
    /// <summary>A retrieval score at which a passage answers a question the phrase tables did not recognise: any
    /// passage the retriever offers, since it already asks a passage that shares no word with the question to be
    /// very close in meaning (<see cref="KnowledgeRetriever.SemanticOnly"/>).</summary>
    public const double StrongMatch = KnowledgeRetriever.Threshold;

    /// <summary>How far the best passage must lead the next one to be the answer rather than a guess between two.</summary>
    public const double ClearLead = 0.05;

    public static BusinessAnswer Read(AgentContext context, BurstReading reading, Scheduling scheduling)
    {
        var knowledge = context.Knowledge;
        var best = knowledge.Count > 0 ? knowledge[0] : null;
        var clear = best is not null && (knowledge.Count == 1 || best.Score - knowledge[1].Score >= ClearLead);
        if (IntentClassifier.IsBusinessQuestion(reading.Text))
        {
            return new(true, clear ? best : null);
        }

        var strong = clear && best!.Score >= StrongMatch
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
