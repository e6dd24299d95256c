namespace Parley.Agent.Rules;

/// <summary>
/// The offline, deterministic model: phrase tables and a time parser instead of a language model.
/// It answers the burst of contact messages since the last agent (or human) message. The checks run from
/// the most to the least decisive: an opt-out that slipped past the guard, legal threats and complaints,
/// a "no" to "is this Maria?", wrong person, not interested, an agreed callback time, a request for a person,
/// and only then an ongoing reply that asks for identity, the name, or a time to call.
/// </summary>
public sealed class RulesModel : IAgentModel
{
    public string Name => "rules-v1";

    public Task<AgentDecision> DecideAsync(AgentContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Decide(context));
    }

    public static AgentDecision Decide(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var turn = ConversationTurn.Read(context);
        var client = context.ClientFirstName;
        var identityPending = client is not null && !context.IdentityConfirmed;
        var identityAsked = identityPending && IntentClassifier.AsksIdentity(turn.LastAgentText, client!);

        var learned = turn.Burst.Length == 0
            ? null
            : NameExtractor.Extract(turn.Burst, IntentClassifier.AsksForName(turn.LastAgentText));
        var learnedIsClient = learned is not null && client is not null && string.Equals(learned, client, StringComparison.OrdinalIgnoreCase);
        bool? identity = identityPending && (learnedIsClient || (identityAsked && IntentClassifier.IsIdentityYes(turn.Text))) ? true : null;
        var name = identity == true ? client : learned ?? context.ContactFirstName ?? (context.IdentityConfirmed ? client : null);
        var writer = new ReplyWriter(context.BusinessName, name, context.ReplyLengthLimit, turn.AgentMessages);

        AgentDecision Decision(AgentOutcome outcome, string? reply, DateTime? callback = null, bool? identityConfirmed = null) =>
            new(reply, outcome, name, callback, identityConfirmed ?? identity);

        if (turn.Burst.Length == 0)
        {
            return Decision(AgentOutcome.Ongoing, Opening(context, turn, writer));
        }

        if (OptOutWords.Classify(turn.Burst) == OptIntent.OptOut)
        {
            return Decision(AgentOutcome.NotInterested, null);
        }

        if (IntentClassifier.NeedsHumanUrgently(turn.Text))
        {
            return Decision(AgentOutcome.NeedsHuman, writer.HandOff());
        }

        var deniesIdentity = identityAsked && identity is null
            && ((learned is not null && !learnedIsClient) || IntentClassifier.IsIdentityNo(turn.Text));
        if (deniesIdentity || IntentClassifier.IsWrongPerson(turn.Text, turn.Burst, [client, context.ContactFirstName]))
        {
            return Decision(AgentOutcome.WrongPerson, writer.WrongPerson(), identityConfirmed: identityPending ? false : null);
        }

        if (IntentClassifier.IsNotInterested(turn.Text))
        {
            return Decision(AgentOutcome.NotInterested, null);
        }

        var scheduling = Scheduling.Read(turn, context.LocalNow);
        if (scheduling.AgreedTime is { } callback)
        {
            return Decision(AgentOutcome.AppointmentScheduled, writer.Booked(callback), callback);
        }

        if (IntentClassifier.AsksForHuman(turn.Text))
        {
            return Decision(AgentOutcome.NeedsHuman, writer.HandOff());
        }

        if (identityPending && identity is null && !turn.AgentEverAskedIdentity(client!) && turn.AgentMessages < 2)
        {
            return Decision(AgentOutcome.Ongoing, writer.AskIdentity(client!));
        }

        if (name is null && client is null && !turn.AgentEverAskedName)
        {
            return Decision(AgentOutcome.Ongoing, writer.AskName());
        }

        return Decision(AgentOutcome.Ongoing, OngoingReply(context, turn, scheduling, learned, identity, writer));
    }

    private static string Opening(AgentContext context, ConversationTurn turn, ReplyWriter writer)
    {
        if (context.ClientFirstName is { } client && !context.IdentityConfirmed && turn.AgentMessages < 2)
        {
            return writer.AskIdentity(client);
        }

        return context.ContactFirstName is null && context.ClientFirstName is null ? writer.AskName() : writer.Opening();
    }

    private static string OngoingReply(AgentContext context, ConversationTurn turn, Scheduling scheduling, string? learned, bool? identity, ReplyWriter writer)
    {
        string? lead = null;
        var topicText = turn.Text;
        var topicOriginal = turn.Burst;
        var onlyAnswered = false;
        if (identity == true)
        {
            lead = $"Thanks, {context.ClientFirstName}!";
            onlyAnswered = IntentClassifier.IsIdentityYes(turn.Text) && turn.Text.Split(' ').Length <= 4;
        }
        else if (learned is not null && context.ContactFirstName is null)
        {
            lead = $"Nice to meet you, {learned}!";
            onlyAnswered = turn.Text.Split(' ').Length <= 4;
        }

        // A burst that only gives the name (or a yes) answers our question; what to say next
        // depends on what the contact wrote before we asked.
        if (onlyAnswered && turn.PreviousBurst.Length > 0)
        {
            topicOriginal = turn.PreviousBurst;
            topicText = TextNormalizer.Normalize(topicOriginal);
        }

        var topic = onlyAnswered && topicOriginal == turn.Burst ? Topic.Other : TopicOf(topicText, topicOriginal, topicOriginal == turn.Burst ? scheduling : Scheduling.None);
        return writer.Ongoing(topic, lead);
    }

    private static Topic TopicOf(string text, string original, Scheduling scheduling)
    {
        if (OptOutWords.Classify(original) == OptIntent.Help)
        {
            return Topic.Help;
        }

        if (IntentClassifier.AsksIfBot(text))
        {
            return Topic.Bot;
        }

        if (IntentClassifier.AsksWhoIsThis(text))
        {
            return Topic.WhoIsThis;
        }

        if (scheduling.Declined)
        {
            return Topic.DeclinedTime;
        }

        if (scheduling.WantsCall)
        {
            return scheduling.NamedDay ? Topic.NeedsTime : Topic.NeedsDayAndTime;
        }

        if (IntentClassifier.IsQuestion(text, original))
        {
            return Topic.Question;
        }

        if (IntentClassifier.IsGreeting(text))
        {
            return Topic.Greeting;
        }

        if (IntentClassifier.IsThanks(text))
        {
            return Topic.Thanks;
        }

        return IntentClassifier.ShowsInterest(text) ? Topic.Interest : Topic.Other;
    }
}
