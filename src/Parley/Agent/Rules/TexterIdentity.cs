namespace Parley.Agent.Rules;

/// <summary>
/// Who the texter is, after this burst: a name they gave, and for a known client's number whether they
/// confirmed ("yes, speaking") or denied ("no, this is Mike") being that client.
/// </summary>
internal sealed record TexterIdentity(string? Learned, string? Name, bool Pending, bool Asked, bool Confirmed, bool Denied)
{
    public static TexterIdentity Read(AgentContext context, BurstReading reading)
    {
        var client = context.ClientFirstName;
        var pending = client is not null && !context.IdentityConfirmed;
        var asked = pending && IntentClassifier.AsksIdentity(reading.LastAgentText, client!);
        var learned = reading.Burst.Length == 0
            ? null
            : NameExtractor.Extract(reading.Burst, IntentClassifier.AsksForName(reading.LastAgentText));
        var learnedIsClient = learned is not null && string.Equals(learned, client, StringComparison.OrdinalIgnoreCase);

        // Saying the client's name confirms it even unasked; a yes counts only as the answer to our question.
        var confirmed = pending && (learnedIsClient || (asked && IntentClassifier.IsIdentityYes(reading.Text)));
        var denied = asked && !confirmed
            && ((learned is not null && !learnedIsClient) || IntentClassifier.IsIdentityNo(reading.Text));
        var name = confirmed ? client : learned ?? context.ContactFirstName ?? (context.IdentityConfirmed ? client : null);
        return new TexterIdentity(learned, name, pending, asked, confirmed, denied);
    }

    /// <summary>The value for <see cref="AgentDecision.IdentityConfirmed"/>: null when nothing changed.</summary>
    public bool? Decision => Confirmed ? true : null;
}
