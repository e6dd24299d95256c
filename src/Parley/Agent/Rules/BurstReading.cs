namespace Parley.Agent.Rules;

/// <summary>The rules model's reading of the texter's latest burst (their messages since our last one)
/// and of what our side said before it. Not a turn: a turn is the agent's whole unit of work
/// (<see cref="TurnRunner"/>); this is what the rules read from its transcript.</summary>
/// <param name="Burst">the contact's messages since our last one, as written</param>
/// <param name="Text">the burst, normalised</param>
/// <param name="LastAgentText">our side's last message, normalised</param>
/// <param name="PreviousBurst">the contact's messages before that one, as written</param>
/// <param name="AgentMessages">how many messages the agent has sent</param>
/// <param name="AgentTexts">everything our side said, normalised</param>
internal sealed record BurstReading(
    string Burst, string Text, string LastAgentText, string PreviousBurst, int AgentMessages, IReadOnlyList<string> AgentTexts)
{
    public bool AgentEverAskedName => AgentTexts.Any(IntentClassifier.AsksForName);

    public bool AgentEverAskedIdentity(string client) => AgentTexts.Any(t => IntentClassifier.AsksIdentity(t, client));

    public static BurstReading Read(AgentContext context)
    {
        var history = context.History;
        var end = history.Count;
        var start = end;
        while (start > 0 && history[start - 1].From == Speaker.Contact)
        {
            start--;
        }

        var lastOurs = start - 1;
        var previousEnd = lastOurs;
        while (previousEnd >= 0 && history[previousEnd].From != Speaker.Contact)
        {
            previousEnd--;
        }

        var previousStart = previousEnd;
        while (previousStart > 0 && history[previousStart - 1].From == Speaker.Contact)
        {
            previousStart--;
        }

        var burst = JoinTexts(history, start, end);
        var previous = previousEnd >= 0 ? JoinTexts(history, previousStart, previousEnd + 1) : "";
        var agentTexts = history.Where(l => l.From != Speaker.Contact).Select(l => TextNormalizer.Normalize(l.Text)).ToList();
        return new BurstReading(
            burst,
            TextNormalizer.Normalize(burst),
            lastOurs >= 0 ? TextNormalizer.Normalize(history[lastOurs].Text) : "",
            previous,
            history.Count(l => l.From == Speaker.Agent),
            agentTexts);
    }

    private static string JoinTexts(IReadOnlyList<TranscriptLine> history, int start, int end) =>
        string.Join("\n", history.Skip(start).Take(end - start).Select(l => l.Text.Trim()).Where(t => t.Length > 0));
}
