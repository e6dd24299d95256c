using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Billing;
using Parley.Booking;
using Parley.Conversations;
using Parley.Data;
using Parley.Work;

namespace Parley.Agent;

/// <summary>
/// Runs a turn for a stored conversation (work kind <c>agent.turn</c>): pass the gates
/// (<see cref="AgentGates"/>), build the context, ask the model (<see cref="TurnRunner"/>), re-check the
/// conversation just before replying (a newer text, a pause or an opt-out discards the reply), then apply
/// the outcome. Every reply, skip, outcome and model error goes to the activity log.
/// </summary>
public sealed partial class ConversationAgent(
    ParleyDb db,
    AgentGates gates,
    TurnRunner turn,
    AssistantSelector assistants,
    OutboundMessages outbound,
    ReplyDrafts drafts,
    FollowUps.FollowUpScheduler followUps,
    ActivityLog activity,
    Wallet wallet,
    CalendarBooking calendar,
    TimeProvider time,
    ILogger<ConversationAgent> logger) : IWorkHandler
{
    public static readonly WorkKind<ConversationWork> Work = new("agent.turn", (w, _) => ConversationWork.SerialKeyFor(w.ContactId), WorkPriority.Reply);
    private const int HistoryLength = 20;

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var conversationId = Work.Read(item).ConversationId;
        var conversation = await db.Conversations.Include(c => c.Phones).Include(c => c.Contact).Include(c => c.Draft)
            .FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return WorkResult.Done;
        }

        var history = await HistoryAsync(db, conversationId, cancellationToken);
        var latest = history.LastOrDefault();
        if (latest is not { Direction: MessageDirection.Inbound })
        {
            return WorkResult.Done; // someone already answered the latest text
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == conversation.TenantId, cancellationToken);
        var phone = conversation.Phones.First(p => p.Number == latest.ContactNumber);
        var mode = await assistants.ModeForAsync(conversation.Mode, conversation.AssistantId, cancellationToken);
        if (await gates.FirstClosedAsync(tenant, conversation, phone, mode, cancellationToken) is { } closed)
        {
            if (!(closed.Code == AgentGates.PhonePaused && phone.Outcome == AgentOutcome.AppointmentScheduled && mode != AiMode.Off
                && await ChangeBookingAsync(tenant, conversation, phone, history, mode, item, cancellationToken)))
            {
                Skip(conversation, phone, closed);
            }

            return WorkResult.Done;
        }

        var assistant = await assistants.ForConversationAsync(tenant.Id, conversation.AssistantId, cancellationToken);
        conversation.AssistantId = assistant.Id;
        if (gates.FirstClosed(assistant, phone) is { } assistantClosed)
        {
            Skip(conversation, phone, assistantClosed);
            return WorkResult.Done;
        }

        var input = await InputAsync(tenant, assistant, conversation, history, cancellationToken) with
        {
            Booking = await calendar.LoadAsync(conversation, phone.Number, cancellationToken),
        };

        TurnResult result;
        try
        {
            result = await turn.RunAsync(input, cancellationToken);
        }
        catch (AgentModelException ex)
        {
            activity.Record(tenant.Id, conversation.Id, ActivityKind.ModelError, $"Turn skipped: {ex.Message}", usage: new AgentUsage(turn.ModelName, TimeSpan.Zero, null, null));
            LogModelError(logger, conversation.Id, ex.Message);
            RecordModelFailure(tenant, conversation, ex.Reason);
            return WorkResult.Done;
        }

        RecordModelSuccess(tenant, conversation);
        await FinishAsync(tenant, conversation, phone, input, result, history, mode, item, cancellationToken);
        return WorkResult.Done;
    }

    /// <summary>After booking the agent is paused, but a text that moves or cancels the booking is still the
    /// agent's to handle: Parley's own reading decides, no model, and any other text stays with the team.</summary>
    private async Task<bool> ChangeBookingAsync(
        Tenant tenant, Conversation conversation, ConversationPhone phone, List<Message> history, AiMode mode, WorkItem item,
        CancellationToken cancellationToken)
    {
        if (await calendar.LoadAsync(conversation, phone.Number, cancellationToken) is not { BookedUtc: not null } state)
        {
            return false;
        }

        var assistant = await assistants.ForConversationAsync(tenant.Id, conversation.AssistantId, cancellationToken);
        var input = await InputAsync(tenant, assistant, conversation, history, cancellationToken) with { Booking = state };
        var context = new AgentContext(tenant.Name, assistant.SystemPrompt, null, input.History, input.ContactFirstName, input.ClientFirstName,
            input.IdentityConfirmed, [], DateTime.SpecifyKind(state.LocalNow, DateTimeKind.Unspecified), tenant.TimeZone, assistant.ReplyLengthLimit);
        if (TurnRunner.SafetyDecision(context) is not null || CalendarTurn.ReadChange(context, state) is not { } intent)
        {
            return false;
        }

        if (intent is RunningLate)
        {
            await HandRunningLateToTeamAsync(conversation, phone, history, mode, item, cancellationToken);
            return true;
        }

        var result = new TurnResult(new AgentDecision(null, AgentOutcome.Ongoing, null, null, Usage: new AgentUsage("calendar", TimeSpan.Zero, null, null)), null, null, null)
        {
            Booking = intent,
        };
        await FinishAsync(tenant, conversation, phone, input, result, history, mode, item, cancellationToken, whilePaused: true);
        return true;
    }

    /// <summary>The reply to a texter running late: once, so they know someone knows. Kept exact, so a repeat
    /// can tell it was already sent.</summary>
    public const string RunningLateReply = "Thanks for the heads-up! I've let the team know you're running late.";

    /// <summary>The booking stands; the conversation needs attention the way an unanswered question does, so the
    /// team sees it in Needs Attention (and its alert) and decides whether to call earlier, wait or move it. The
    /// texter hears that the team knows, once: a second "still stuck" before anyone answered gets no second reply.</summary>
    private async Task HandRunningLateToTeamAsync(
        Conversation conversation, ConversationPhone phone, List<Message> history, AiMode mode, WorkItem item, CancellationToken cancellationToken)
    {
        var latest = history[^1];
        if (await IsStaleAsync(conversation.Id, phone.Number, latest.Id, item.SerialKey, whilePaused: true, cancellationToken) is { } staleReason)
        {
            activity.Record(conversation.TenantId, conversation.Id, ActivityKind.StaleReplyDiscarded, staleReason);
            return;
        }

        var texts = history.AsEnumerable().Reverse().TakeWhile(m => m.Direction == MessageDirection.Inbound).Select(m => m.Text).Reverse().ToList();
        var said = string.Join(" / ", texts);
        var quoted = said.Length <= 200 ? said : said[..200] + "...";
        var lastAnswer = history.LastOrDefault(m => m.Direction == MessageDirection.Outbound);
        var alreadyTold = lastAnswer is { Author: MessageAuthor.Agent, Text: RunningLateReply }
            || (mode == AiMode.Suggest && conversation.Draft?.Text == RunningLateReply);
        conversation.UnansweredQuestionAtUtc = time.GetUtcNow().UtcDateTime;
        if (alreadyTold)
        {
            conversation.Notice = $"Running late for the booked call, again: \"{quoted}\". The booking stands; they were already told the team knows.";
            activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Skipped, "Running late again: the team was already told; no second reply.");
            return;
        }

        conversation.Notice = $"Running late for the booked call: \"{quoted}\". The booking stands; they were told the team knows.";
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Skipped, "Running late for the booked call: the booking stands, handed to the team.");
        if (mode == AiMode.Suggest)
        {
            drafts.Write(conversation, latest, RunningLateReply, []);
            activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Drafted, RunningLateReply);
            return;
        }

        outbound.Queue(conversation, phone.Number, RunningLateReply, MessageAuthor.Agent);
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Reply, RunningLateReply);
    }

    private Task<TurnInput> InputAsync(Tenant tenant, Assistant assistant, Conversation conversation, List<Message> history, CancellationToken cancellationToken) =>
        InputAsync(db, tenant, assistant, conversation, history, cancellationToken);

    /// <summary>The conversation's last messages, oldest first: the history a turn (or a follow-up) is written from.</summary>
    public static async Task<List<Message>> HistoryAsync(ParleyDb db, Guid conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var history = await db.Messages.Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.Id).Take(HistoryLength).ToListAsync(cancellationToken);
        history.Reverse();
        return history;
    }

    /// <summary>What the agent knows going into a turn on this conversation (its contact must be loaded).</summary>
    public static async Task<TurnInput> InputAsync(ParleyDb db, Tenant tenant, Assistant assistant, Conversation conversation, List<Message> history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(history);
        var contact = conversation.Contact;
        var notes = await db.ContactNotes.Where(n => n.ContactId == contact.Id).OrderByDescending(n => n.Id).Take(5)
            .Select(n => n.Channel == null ? n.Text : n.Channel + ": " + n.Text).ToListAsync(cancellationToken);
        var input = new TurnInput(
            tenant,
            assistant,
            history.Select(Line).ToList(),
            conversation.Guide,
            ContactFirstName: contact.IsClient ? (conversation.IdentityConfirmed ? contact.FirstName : null) : contact.FirstName,
            ClientFirstName: contact.IsClient ? contact.FirstName : null,
            conversation.IdentityConfirmed,
            notes)
        {
            ConversationId = conversation.Id,
        };
        return input;
    }

    /// <summary>Re-checks the conversation, carries out the calendar booking the turn asked for (its reply is written
    /// from what was done), charges the reply and applies the outcome.</summary>
    private async Task FinishAsync(
        Tenant tenant, Conversation conversation, ConversationPhone phone, TurnInput input, TurnResult result, List<Message> history, AiMode mode, WorkItem item,
        CancellationToken cancellationToken, bool whilePaused = false)
    {
        var latest = history[^1];
        if (await IsStaleAsync(conversation.Id, phone.Number, latest.Id, item.SerialKey, whilePaused, cancellationToken) is { } staleReason)
        {
            activity.Record(tenant.Id, conversation.Id, ActivityKind.StaleReplyDiscarded, staleReason, result.Decision.Outcome, result.Decision.Usage);
            LogStale(logger, conversation.Id);
            return;
        }

        if (result.Booking is { } intent && input.Booking is { } state)
        {
            BookingDone done;
            try
            {
                done = await calendar.CarryOutAsync(state, intent, conversation, phone.Number, cancellationToken);
            }
            catch (CalDavException ex)
            {
                conversation.Notice = $"The calendar could not be updated ({ex.Message}). Reply yourself; the agent tries again on the next text.";
                activity.Record(tenant.Id, conversation.Id, ActivityKind.ModelError, $"Turn skipped: the calendar could not be updated: {ex.Message}");
                return;
            }

            result = result with
            {
                Decision = result.Decision with { Outcome = done.Outcome },
                Reply = TurnRunner.Guard(done.Reply, input.Assistant.ReplyLengthLimit),
                CallbackAtUtc = null,
                CallbackAtLocal = done.CallbackAt,
                OutcomeDetail = done.Detail,
            };
        }

        if (mode == AiMode.Suggest)
        {
            // Only the reply waits for a person; nothing is charged until one sends it.
            Apply(tenant, conversation, phone, result, null, answered: latest);
            return;
        }

        string? chargeKey = null;
        if (result.Reply is not null)
        {
            chargeKey = $"ai-reply:{item.Id}";
            if (!await wallet.TryChargeAiReplyAsync(tenant.Id, chargeKey, cancellationToken))
            {
                AgentGates.CountSkippedForEmptyWallet(conversation);
                activity.Record(tenant.Id, conversation.Id, ActivityKind.Skipped, AgentGates.WalletEmpty, result.Decision.Outcome, result.Decision.Usage);
                return;
            }
        }

        Apply(tenant, conversation, phone, result, chargeKey);
        if (result.Reply is not null && conversation.Outcome is null)
        {
            followUps.AfterAgentText(tenant, conversation, phone.Number, input.Assistant, AskedToBeTextedAt(tenant, history));
        }
    }

    /// <summary>"Text me next week" in the contact's latest texts: when, in UTC (the tenant's local time read).</summary>
    private DateTime? AskedToBeTextedAt(Tenant tenant, List<Message> history)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZone);
        var localNow = DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone), DateTimeKind.Unspecified);
        var burst = history.AsEnumerable().Reverse().TakeWhile(m => m.Direction == MessageDirection.Inbound).Select(m => m.Text);
        return burst.Select(text => Rules.FollowUpRequest.Read(text, localNow)).FirstOrDefault(at => at is not null) is { } local
            ? TimeZoneInfo.ConvertTimeToUtc(zone.IsInvalidTime(local) ? local.AddHours(1) : local, zone)
            : null;
    }

    public static TranscriptLine Line(Message m) => new(
        m.Direction == MessageDirection.Inbound ? Speaker.Contact : m.Author == MessageAuthor.Agent ? Speaker.Agent : Speaker.Human,
        m.Text,
        m.CreatedAtUtc);

    /// <summary>A closed gate is logged by its code (the reason can name the contact's number: Debug only) and
    /// either ends the conversation with the gate's outcome or is recorded as a skip.</summary>
    private void Skip(Conversation conversation, ConversationPhone phone, GateClosed closed)
    {
        LogSkipped(logger, conversation.Id, closed.Code);
        LogSkippedReason(logger, conversation.Id, closed.Reason);
        if (closed.Outcome is { } outcome)
        {
            SetOutcome(conversation, phone, outcome, closed.Reason, null);
            return;
        }

        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Skipped, closed.Reason);
    }

    private const string ModelFailedNotice = "The AI model failed to answer the latest text";

    /// <summary>After its retry the model still failed: the texter must not be left unanswered without anyone
    /// knowing, so the conversation needs attention with the reason, and the tenant records since when the
    /// model has been failing (the dashboard banner and <c>/health/ready</c> read it).</summary>
    private void RecordModelFailure(Tenant tenant, Conversation conversation, string reason)
    {
        var now = time.GetUtcNow().UtcDateTime;
        conversation.ModelFailedAtUtc = now;
        conversation.Notice = $"{ModelFailedNotice} ({reason}). Reply yourself; the agent tries again on the next text.";
        tenant.ModelFailingSinceUtc ??= now;
        tenant.ModelFailureReason = reason;
    }

    /// <summary>The model answered: the failing-since time clears, and so does this conversation's notice.</summary>
    private static void RecordModelSuccess(Tenant tenant, Conversation conversation)
    {
        tenant.ModelFailingSinceUtc = null;
        tenant.ModelFailureReason = null;
        if (conversation.ModelFailedAtUtc is not null)
        {
            conversation.ModelFailedAtUtc = null;
            if (conversation.Notice?.StartsWith(ModelFailedNotice, StringComparison.Ordinal) == true)
            {
                conversation.Notice = null;
            }
        }
    }

    /// <summary>Fresh reads, not the tracked entities: a human may have paused the AI, the contact may have
    /// opted out or texted again while the model was thinking. A text that came in meanwhile waits in the
    /// queue under this turn's serial key (inbound work never runs beside the turn), so it counts as newer too.</summary>
    /// <param name="whilePaused">a booking change answered while paused after booking: only a pause of the whole
    /// conversation (a person's) stops it</param>
    private async Task<string?> IsStaleAsync(Guid conversationId, string number, long answeredMessageId, string? serialKey, bool whilePaused, CancellationToken cancellationToken)
    {
        if (await db.Messages.AnyAsync(m => m.ConversationId == conversationId && m.Id > answeredMessageId, cancellationToken)
            || await db.WorkItems.AnyAsync(w => w.SerialKey == serialKey && w.Kind == InboundTextProcessor.Work.Name && w.Status == WorkStatus.Pending && w.Attempts == 0, cancellationToken))
        {
            return "A newer message arrived while the model was thinking; the next turn answers it.";
        }

        if (await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AiPaused).FirstAsync(cancellationToken)
            || (!whilePaused && await db.ConversationPhones.Where(p => p.ConversationId == conversationId && p.Number == number).Select(p => p.AiPaused).FirstAsync(cancellationToken)))
        {
            return "The AI was paused while the model was thinking.";
        }

        return await db.ContactPhones.AnyAsync(p => p.Number == number && p.OptedOutAtUtc != null, cancellationToken)
            ? "The contact opted out while the model was thinking."
            : null;
    }

    /// <param name="answered">in Suggest mode, the text the reply answers: the reply becomes a draft for a person</param>
    private void Apply(Tenant tenant, Conversation conversation, ConversationPhone phone, TurnResult result, string? chargeKey, Message? answered = null)
    {
        var decision = result.Decision;
        var contact = conversation.Contact;
        if (decision.ContactFirstName is { Length: > 0 } name && !contact.IsClient && contact.FirstName is null)
        {
            contact.FirstName = name;
        }

        if (decision.IdentityConfirmed == true && contact.IsClient)
        {
            conversation.IdentityConfirmed = true;
        }

        if (result.Reply is { } draft && answered is not null)
        {
            drafts.Write(conversation, answered, draft, result.Sources);
            activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Drafted, draft, decision.Outcome, decision.Usage, result.Sources);
        }
        else if (result.Reply is { } reply)
        {
            var message = outbound.Queue(conversation, phone.Number, reply, MessageAuthor.Agent);
            message.ChargeKey = chargeKey;
            message.SourcesJson = ReplySources.Serialize(result.Sources);
            conversation.Notice = null;
            phone.Turns++;
            conversation.Turns++;
            activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Reply, reply, decision.Outcome, decision.Usage, result.Sources);
        }

        if (decision.UnansweredQuestion is { } question)
        {
            RecordUnanswered(tenant, conversation, question);
        }

        if (decision.Outcome == AgentOutcome.AppointmentScheduled && result.CallbackAtUtc is { } dueUtc)
        {
            db.Callbacks.Add(new Callback
            {
                Id = Guid.CreateVersion7(),
                TenantId = conversation.TenantId,
                ConversationId = conversation.Id,
                ContactId = contact.Id,
                ContactNumber = phone.Number,
                DueAtUtc = dueUtc,
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            });
        }

        if (decision.Outcome != AgentOutcome.Ongoing)
        {
            var detail = result.OutcomeDetail ?? decision.Outcome switch
            {
                AgentOutcome.AppointmentScheduled => $"Callback booked for {result.CallbackAtLocal:yyyy-MM-dd HH:mm zzz}.",
                AgentOutcome.NotInterested => "Not interested: paused without a reply.",
                AgentOutcome.NeedsHuman => "Asked for a person: closing message sent, paused.",
                AgentOutcome.WrongPerson => "Wrong person: apology sent, paused.",
                _ => decision.Outcome.ToString(),
            };
            SetOutcome(conversation, phone, decision.Outcome, detail, decision.Usage);
        }

        LogDecided(logger, conversation.Id, decision.Outcome, turn.ModelName);
    }

    /// <summary>The gap itself is already recorded; here the business sees it in the activity log, and in Needs
    /// Attention when it chose so: the texter was promised that the team will confirm.</summary>
    private void RecordUnanswered(Tenant tenant, Conversation conversation, string question)
    {
        var quoted = question.Length <= 200 ? question : question[..200] + "...";
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.KnowledgeGap, $"Not in the knowledge, deferred to the team: \"{quoted}\"");
        if (tenant.UnansweredQuestionsNeedAttention)
        {
            conversation.UnansweredQuestionAtUtc = time.GetUtcNow().UtcDateTime;
            conversation.Notice = $"The agent could not answer \"{quoted}\" from the knowledge and told them the team will confirm.";
        }
    }

    private void SetOutcome(Conversation conversation, ConversationPhone phone, AgentOutcome outcome, string detail, AgentUsage? usage)
    {
        phone.Outcome = outcome;
        phone.AiPaused = true;
        conversation.Outcome = outcome;
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.Outcome, detail, outcome, usage);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent skipped conversation {ConversationId}: gate {Gate}")]
    private static partial void LogSkipped(ILogger logger, Guid conversationId, string gate);

    // The reason can name the contact's number: personal data, so Debug only.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent skipped conversation {ConversationId}: {Reason}")]
    private static partial void LogSkippedReason(ILogger logger, Guid conversationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discarded a stale reply in conversation {ConversationId}: the conversation changed while the model was thinking")]
    private static partial void LogStale(ILogger logger, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent decided {Outcome} in conversation {ConversationId} with {Model}")]
    private static partial void LogDecided(ILogger logger, Guid conversationId, AgentOutcome outcome, string model);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model failed in conversation {ConversationId}; turn skipped: {Reason}")]
    private static partial void LogModelError(ILogger logger, Guid conversationId, string reason);
}
