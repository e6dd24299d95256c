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
    /// passage the retriever offers as a clear leader, since it already checked the question's topic and the lead.</summary>
    public const double StrongMatch = KnowledgeRetriever.Floor;

    /// <summary>How far a strong best passage must lead the next one to be the answer rather than a guess between
    /// two: the retriever's own rule (<see cref="KnowledgeRetriever.LeadsClearly"/>), so that the search API shows
    /// what the agent does.</summary>
    public const double ClearLead = KnowledgeRetriever.Lead;

    public static BusinessAnswer Read(AgentContext context, BurstReading reading, Scheduling scheduling)
    {
        var knowledge = context.Knowledge;
        var best = knowledge.Count > 0 ? knowledge[0] : null;
        var clear = best is not null && KnowledgeRetriever.LeadsClearly(knowledge);
        if (IntentClassifier.IsBusinessQuestion(reading.Text))
        {
            return new(true, clear ? best : null);
        }

        var asks = IntentClassifier.LooksLikeQuestion(reading.Text, reading.Burst)
            && !scheduling.WantsCall
            && !IntentClassifier.AsksWhoIsThis(reading.Text)
            && !IntentClassifier.AsksIfBot(reading.Text);
        if (asks && clear && best!.Score >= StrongMatch)
        {
            return new(true, best);
        }

        // A question to the business that nothing answers ("are you hiring", "where is your office") is still a
        // question: deferred to the team and left as a gap, not met with a generic "let's talk on a call".
        return asks && IntentClassifier.AsksAboutUs(reading.Text, reading.Burst) ? new(true, null) : new(false, null);
    }

    /// <summary>Who we are, when they asked: always known, no passage needed.</summary>
    public static string? Identity(AgentContext context, BurstReading reading) =>
        IntentClassifier.AsksIfBot(reading.Text) ? $"I'm an automated assistant for {context.BusinessName}."
        : IntentClassifier.AsksWhoIsThis(reading.Text) ? $"This is {context.BusinessName}."
        : null;
}
