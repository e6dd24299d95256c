namespace Parley.Agent.Rules;

/// <summary>
/// The offline, deterministic model: phrase tables and a time parser instead of a language model.
/// It answers the burst of contact messages since the last agent (or human) message. The checks run from
/// the most to the least decisive: the safety outcomes (<see cref="SafetyCheck"/>: opt-out, a sensitive
/// situation, an ask for a person), a "no" to "is this Maria?", wrong person, not interested, an agreed
/// callback time, a business question (answered, then the conversation goes on), and only then an ongoing
/// reply that asks for identity, the name, or a time to call.
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
        var reading = BurstReading.Read(context);
        var texter = TexterIdentity.Read(context, reading);
        var writer = new ReplyWriter(context.BusinessName, texter.Name, context.ReplyLengthLimit, reading.AgentMessages);

        AgentDecision Decision(AgentOutcome outcome, string? reply, DateTime? callback = null, bool? identityConfirmed = null) =>
            new(reply, outcome, texter.Name, callback, identityConfirmed ?? texter.Decision);

        if (reading.Burst.Length == 0)
        {
            return Decision(AgentOutcome.Ongoing, Opening(context, reading, writer));
        }

        switch (SafetyCheck.Read(reading.Burst))
        {
            case SafetyConcern.OptOut:
                return Decision(AgentOutcome.NotInterested, null);
            case SafetyConcern.Sensitive:
                return Decision(AgentOutcome.NeedsHuman, writer.KindHandOff());
            case SafetyConcern.AsksForPerson:
                return Decision(AgentOutcome.NeedsHuman, writer.HandOff());
        }

        if (texter.Denied || IntentClassifier.IsWrongPerson(reading.Text, reading.Burst, [context.ClientFirstName, context.ContactFirstName]))
        {
            return Decision(AgentOutcome.WrongPerson, writer.WrongPerson(), identityConfirmed: texter.Pending ? false : null);
        }

        if (IntentClassifier.IsNotInterested(reading.Text))
        {
            return Decision(AgentOutcome.NotInterested, null);
        }

        var scheduling = Scheduling.Read(reading, context.LocalNow);
        if (scheduling.AgreedTime is { } callback)
        {
            return Decision(AgentOutcome.AppointmentScheduled, writer.Booked(callback, ZoneOf(context, callback)), callback);
        }

        if (IntentClassifier.AsksForHuman(reading.Text))
        {
            return Decision(AgentOutcome.NeedsHuman, writer.HandOff());
        }

        var askName = texter.Name is null && context.ClientFirstName is null && !reading.AgentEverAskedName;
        var business = BusinessAnswer.Read(context, reading, scheduling);
        if (business.IsQuestion || (askName && (IntentClassifier.AsksWhoIsThis(reading.Text) || IntentClassifier.AsksIfBot(reading.Text))))
        {
            var greeting = texter.Confirmed ? $"Thanks, {texter.Name}!"
                : texter.Learned is not null && context.ContactFirstName is null ? $"Nice to meet you, {texter.Learned}!"
                : null;
            var lead = string.Join(' ', new[] { greeting, BusinessAnswer.Identity(context, reading) }.OfType<string>());
            if (business.Passage is { } passage && writer.Quoted(lead.Length == 0 ? null : lead, passage, askName) is { } quoted)
            {
                return Decision(AgentOutcome.Ongoing, quoted) with { Sources = [passage.Id] };
            }

            if (!business.IsQuestion)
            {
                return Decision(AgentOutcome.Ongoing, writer.Answered(lead, askName));
            }

            var deferral = writer.Answered(lead.Length == 0 ? SafetyReplies.Deferral : $"{lead} {SafetyReplies.Deferral}", askName);
            return Decision(AgentOutcome.Ongoing, deferral) with { UnansweredQuestion = business.Passage is null ? reading.Burst : null };
        }

        if (texter.Pending && !texter.Confirmed && reading.AgentMessages < 2 && !reading.AgentEverAskedIdentity(context.ClientFirstName!))
        {
            return Decision(AgentOutcome.Ongoing, writer.AskIdentity(context.ClientFirstName!));
        }

        if (texter.Name is null && context.ClientFirstName is null && !reading.AgentEverAskedName)
        {
            return Decision(AgentOutcome.Ongoing, writer.AskName());
        }

        return Decision(AgentOutcome.Ongoing, OngoingReply(context, reading, scheduling, texter, writer));
    }

    private static string Opening(AgentContext context, BurstReading reading, ReplyWriter writer)
    {
        if (context.ClientFirstName is { } client && !context.IdentityConfirmed && reading.AgentMessages < 2)
        {
            return writer.AskIdentity(client);
        }

        return context.ContactFirstName is null && context.ClientFirstName is null ? writer.AskName() : writer.Opening();
    }

    private static string OngoingReply(AgentContext context, BurstReading reading, Scheduling scheduling, TexterIdentity texter, ReplyWriter writer)
    {
        var lead = texter.Confirmed ? $"Thanks, {texter.Name}!"
            : texter.Learned is not null && context.ContactFirstName is null ? $"Nice to meet you, {texter.Learned}!"
            : null;

        // A short burst that only gives the name (or a yes) answers our question; what to say next
        // depends on what the contact wrote before we asked.
        var onlyAnswered = lead is not null && reading.Text.Split(' ').Length <= 4 && !IntentClassifier.IsQuestion(reading.Text, reading.Burst);
        if (!onlyAnswered)
        {
            return writer.Ongoing(TopicOf(reading.Text, reading.Burst, scheduling), lead);
        }

        return reading.PreviousBurst.Length == 0
            ? writer.Ongoing(Topic.Other, lead)
            : writer.Ongoing(TopicOf(TextNormalizer.Normalize(reading.PreviousBurst), reading.PreviousBurst, Scheduling.None), lead);
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

    /// <summary>The tenant's zone as a text names it, at the agreed wall-clock time (callbacks are the tenant's time).</summary>
    private static string ZoneOf(AgentContext context, DateTime callbackLocal)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(context.TimeZoneId, out var zone))
        {
            return "";
        }

        var wall = DateTime.SpecifyKind(callbackLocal, DateTimeKind.Unspecified);
        return Booking.ZoneLabel.For(zone, TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(wall) ? wall.AddHours(1) : wall, zone));
    }
}
