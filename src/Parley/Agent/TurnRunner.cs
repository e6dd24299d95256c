using System.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Agent.Rules;
using Parley.Booking;
using Parley.Knowledge;
using Parley.Messaging;
using Parley.Telemetry;

namespace Parley.Agent;

/// <summary>What the agent knows going into one turn, independent of where the conversation lives
/// (a real conversation, or a tester session).</summary>
public sealed record TurnInput(
    Tenant Tenant,
    Assistant Assistant,
    IReadOnlyList<TranscriptLine> History,
    string? Guide,
    string? ContactFirstName,
    string? ClientFirstName,
    bool IdentityConfirmed,
    IReadOnlyList<string> Notes)
{
    /// <summary>The stored conversation, when there is one (not in the tester): a knowledge gap points to it.</summary>
    public Guid? ConversationId { get; init; }

    /// <summary>The tenant's calendar for this turn, when one is connected: booking is then done on it.</summary>
    public BookingState? Booking { get; init; }
}

/// <summary>The model's decision after the deterministic guards: a reply safe to send as SMS (or none),
/// and the callback time in UTC when one was booked.</summary>
public sealed record TurnResult(AgentDecision Decision, string? Reply, DateTime? CallbackAtUtc, DateTimeOffset? CallbackAtLocal)
{
    /// <summary>The knowledge passages the reply states facts from; empty when there is no reply.</summary>
    public IReadOnlyList<ReplySource> Sources { get; init; } = [];

    /// <summary>What to do on the calendar before replying; the reply is then written from what was done.</summary>
    public BookingIntent? Booking { get; init; }

    /// <summary>The activity line for the outcome, when the calendar decided it.</summary>
    public string? OutcomeDetail { get; init; }
}

/// <summary>
/// Runs one turn, the agent's unit of work (one answer to the texter's latest burst): context → safety →
/// knowledge → model → guards. The safety outcomes are decided before anything else; only then are the
/// business's passages for the texter's words looked up and given to the model, and a question they do not
/// answer is recorded as a knowledge gap. The guards never trust the model: markdown is stripped,
/// punctuation made GSM-safe, the reply cut to the assistant's limit, and a silent outcome sends nothing.
/// </summary>
public sealed class TurnRunner(
    IAgentModel model, KnowledgeLookup knowledge, KnowledgeGaps gaps, TimeProvider time, IOptions<AgentOptions> options, ParleyMetrics metrics)
{
    public string ModelName => model.Name;

    /// <summary>The offline rules model answers texts; it has nothing better than the templates for a follow-up.</summary>
    public bool WritesFollowUps => model is not RulesModel;

    /// <summary>Asks the model for a follow-up to a contact who went quiet: the conversation, the assistant's prompt, the
    /// knowledge rules and which follow-up it is; guarded like any reply. Null when it gave none usable (the caller
    /// falls back to its template); a model that fails throws <see cref="AgentModelException"/>.</summary>
    public async Task<TurnResult?> WriteFollowUpAsync(TurnInput input, FollowUpAsk ask, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ContextFor(input, out _) with { FollowUp = ask };
        var started = time.GetTimestamp();
        AgentDecision decision;
        using (var span = ParleyTelemetry.Source.StartActivity("model follow-up"))
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            span?.SetTag("parley.model", model.Name);
            timeout.CancelAfter(options.Value.ModelTimeout);
            try
            {
                context = context with { Knowledge = await knowledge.FindAsync(input.Tenant.Id, input.Assistant.Id, input.History, timeout.Token) };
                decision = await model.DecideAsync(context, timeout.Token);
                metrics.ModelDecided(model.Name, time.GetElapsedTime(started));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.ModelFailed(model.Name, "timeout");
                throw new AgentModelException($"The model did not answer within {options.Value.ModelTimeout.TotalSeconds:0} s.");
            }
            catch (AgentModelException)
            {
                metrics.ModelFailed(model.Name, nameof(AgentModelException));
                throw;
            }
        }

        var reply = decision.Outcome == AgentOutcome.Ongoing ? Guard(decision.Reply, input.Assistant.ReplyLengthLimit) : null;
        return reply is null ? null : new TurnResult(decision with { Usage = decision.Usage ?? new AgentUsage(model.Name, time.GetElapsedTime(started), null, null) }, reply, null, null)
        {
            Sources = ReplySources.Of(decision, context.Knowledge),
        };
    }

    private AgentContext ContextFor(TurnInput input, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.FindSystemTimeZoneById(input.Tenant.TimeZone);
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone);
        return new AgentContext(
            BusinessName: input.Tenant.Name,
            SystemPrompt: input.Assistant.SystemPrompt,
            Guide: input.Guide,
            History: input.History,
            ContactFirstName: input.ContactFirstName,
            ClientFirstName: input.ClientFirstName,
            IdentityConfirmed: input.IdentityConfirmed,
            ContactNotes: input.Notes,
            LocalNow: DateTime.SpecifyKind(localNow, DateTimeKind.Unspecified),
            TimeZoneId: input.Tenant.TimeZone,
            ReplyLengthLimit: input.Assistant.ReplyLengthLimit);
    }

    public async Task<TurnResult> RunAsync(TurnInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var context = ContextFor(input, out var zone);

        AgentDecision decision;
        var started = time.GetTimestamp();
        using (var span = ParleyTelemetry.Source.StartActivity("model decide"))
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            span?.SetTag("parley.model", model.Name);
            timeout.CancelAfter(options.Value.ModelTimeout);
            try
            {
                if (SafetyDecision(context) is { } safety)
                {
                    decision = safety;
                }
                else if (input.Booking is { } booking && CalendarTurn.ReadBeforeModel(context, booking) is { } intent)
                {
                    return new TurnResult(new AgentDecision(null, AgentOutcome.Ongoing, null, null, Usage: new AgentUsage("calendar", time.GetElapsedTime(started), null, null)), null, null, null)
                    {
                        Booking = intent,
                    };
                }
                else
                {
                    context = context with
                    {
                        Knowledge = await knowledge.FindAsync(input.Tenant.Id, input.Assistant.Id, input.History, timeout.Token),
                        CalendarTimes = input.Booking is { } offering ? CalendarTurn.Times(offering, zone) : [],
                    };
                    decision = await model.DecideAsync(context, timeout.Token);
                }

                metrics.ModelDecided(model.Name, time.GetElapsedTime(started));
                span?.SetTag("parley.agent.outcome", decision.Outcome.ToString());
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                metrics.ModelFailed(model.Name, "timeout");
                span?.SetStatus(ActivityStatusCode.Error, "timeout");
                throw new AgentModelException($"The model did not answer within {options.Value.ModelTimeout.TotalSeconds:0} s.");
            }
            catch (AgentModelException)
            {
                metrics.ModelFailed(model.Name, nameof(AgentModelException));
                span?.SetStatus(ActivityStatusCode.Error, nameof(AgentModelException));
                throw;
            }
        }

        decision = decision with
        {
            Usage = decision.Usage ?? new AgentUsage(model.Name, time.GetElapsedTime(started), null, null),
        };
        var reply = decision.Outcome == AgentOutcome.NotInterested ? null : Guard(decision.Reply, input.Assistant.ReplyLengthLimit);
        DateTime? callbackUtc = null;
        DateTimeOffset? callbackLocal = null;
        if (decision is { Outcome: AgentOutcome.AppointmentScheduled, CallbackAtLocal: { } local })
        {
            var wallClock = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            callbackUtc = TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(wallClock) ? wallClock.AddHours(1) : wallClock, zone);
            callbackLocal = new DateTimeOffset(wallClock, zone.GetUtcOffset(callbackUtc.Value));
        }

        if (decision.UnansweredQuestion is { } question && decision.Outcome != AgentOutcome.NotInterested)
        {
            await gaps.RecordAsync(input.Tenant.Id, input.ConversationId, question, cancellationToken);
        }

        var result = new TurnResult(decision, reply, callbackUtc, callbackLocal)
        {
            Sources = reply is null ? [] : ReplySources.Of(decision, context.Knowledge),
        };
        return input.Booking is { } state ? CalendarTurn.AfterModel(result, state) : result;
    }

    /// <summary>The safety outcomes are decided here, before any model is asked, so an opt-out, an ask for a
    /// person or a sensitive situation is handled the same whichever model is configured.</summary>
    public static AgentDecision? SafetyDecision(AgentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SafetyCheck.Read(BurstReading.Read(context).Burst) switch
        {
            SafetyConcern.OptOut => new AgentDecision(null, AgentOutcome.NotInterested, null, null),
            SafetyConcern.AsksForPerson => new AgentDecision(SafetyReplies.HandOff(context.BusinessName), AgentOutcome.NeedsHuman, null, null),
            SafetyConcern.Sensitive => new AgentDecision(SafetyReplies.Kind(context.BusinessName), AgentOutcome.NeedsHuman, null, null),
            _ => null,
        };
    }

    /// <summary>Plain, GSM-friendly, within the limit; null when nothing sendable is left.</summary>
    public static string? Guard(string? reply, int limit)
    {
        if (string.IsNullOrWhiteSpace(reply))
        {
            return null;
        }

        var text = SmsText.TrimToLength(SmsText.MakeGsmFriendly(reply), limit);
        return SmsSegments.TryValidateForSending(text, out _, out _) ? text : null;
    }
}
