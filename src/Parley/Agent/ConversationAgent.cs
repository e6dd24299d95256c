using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Accounts;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Agent;

/// <summary>
/// One agent turn for a conversation: run the gates, build the context, ask the model, re-check the
/// conversation just before replying (a newer text or a pause discards the reply), then apply the outcome.
/// </summary>
public sealed partial class ConversationAgent(
    ParleyDb db,
    IAgentModel model,
    AssistantSelector assistants,
    OutboundMessages outbound,
    TimeProvider time,
    IOptions<AgentOptions> options,
    ILogger<ConversationAgent> logger) : IWorkHandler
{
    public const string Kind = "agent.turn";
    private const int HistoryLength = 20;

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var conversationId = WorkQueue.Read<ConversationWork>(item).ConversationId;
        var conversation = await db.Conversations.Include(c => c.Phones).Include(c => c.Contact)
            .FirstOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
        if (conversation is null)
        {
            return WorkResult.Done;
        }

        var history = await db.Messages.Where(m => m.ConversationId == conversationId)
            .OrderByDescending(m => m.Id).Take(HistoryLength).ToListAsync(cancellationToken);
        history.Reverse();
        var latest = history.LastOrDefault();
        if (latest is not { Direction: MessageDirection.Inbound })
        {
            return WorkResult.Done; // someone already answered the latest text
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == conversation.TenantId, cancellationToken);
        var phone = conversation.Phones.First(p => p.Number == latest.ContactNumber);
        var skip = await GateAsync(tenant, conversation, phone, cancellationToken);
        if (skip is not null)
        {
            LogSkipped(logger, conversation.Id, skip);
            return WorkResult.Done;
        }

        var assistant = await assistants.ForConversationAsync(tenant.Id, conversation.AssistantId, cancellationToken);
        conversation.AssistantId = assistant.Id;
        if (phone.Turns >= assistant.MaxTurns)
        {
            SetOutcome(conversation, phone, AgentOutcome.MaxTurnsReached);
            return WorkResult.Done;
        }

        var context = BuildContext(tenant, assistant, conversation, history);
        AgentDecision decision;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(options.Value.ModelTimeout);
            decision = await model.DecideAsync(context, timeout.Token);
        }

        if (await IsStaleAsync(conversation.Id, phone.Number, latest.Id, cancellationToken))
        {
            LogStale(logger, conversation.Id);
            return WorkResult.Done;
        }

        Apply(conversation, phone, assistant, decision);
        return WorkResult.Done;
    }

    private async Task<string?> GateAsync(Tenant tenant, Conversation conversation, ConversationPhone phone, CancellationToken cancellationToken)
    {
        if (tenant.Plan is not (Plan.Growth or Plan.Scale))
        {
            return $"The {tenant.Plan} plan does not include AI replies.";
        }

        if (tenant.A2pStatus != A2pStatus.Live)
        {
            return $"A2P registration is {tenant.A2pStatus}, not Live.";
        }

        if (conversation.AiPaused || phone.AiPaused)
        {
            return "AI is paused for this conversation or number.";
        }

        var optedOut = await db.ContactPhones.AnyAsync(p => p.Number == phone.Number && p.OptedOutAtUtc != null, cancellationToken);
        return optedOut ? "The contact opted out." : null;
    }

    /// <summary>Fresh reads, not the tracked entities: a human may have paused the AI, the contact may have
    /// opted out or texted again while the model was thinking.</summary>
    private async Task<bool> IsStaleAsync(Guid conversationId, string number, long answeredMessageId, CancellationToken cancellationToken)
    {
        var newer = await db.Messages.AnyAsync(m => m.ConversationId == conversationId && m.Id > answeredMessageId, cancellationToken);
        var paused = await db.Conversations.Where(c => c.Id == conversationId).Select(c => c.AiPaused).FirstAsync(cancellationToken)
            || await db.ConversationPhones.Where(p => p.ConversationId == conversationId && p.Number == number).Select(p => p.AiPaused).FirstAsync(cancellationToken);
        var optedOut = await db.ContactPhones.AnyAsync(p => p.Number == number && p.OptedOutAtUtc != null, cancellationToken);
        return newer || paused || optedOut;
    }

    private AgentContext BuildContext(Tenant tenant, Assistant assistant, Conversation conversation, List<Message> history)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(tenant.TimeZone);
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone);
        var contact = conversation.Contact;
        var lines = history.Select(m => new TranscriptLine(
            m.Direction == MessageDirection.Inbound ? Speaker.Contact : m.Author == MessageAuthor.Agent ? Speaker.Agent : Speaker.Human,
            m.Text,
            m.CreatedAtUtc)).ToList();
        return new AgentContext(
            BusinessName: tenant.Name,
            SystemPrompt: assistant.SystemPrompt,
            Guide: conversation.Guide,
            History: lines,
            ContactFirstName: contact.IsClient ? (conversation.IdentityConfirmed ? contact.FirstName : null) : contact.FirstName,
            ClientFirstName: contact.IsClient ? contact.FirstName : null,
            IdentityConfirmed: conversation.IdentityConfirmed,
            ContactNotes: [],
            LocalNow: localNow,
            TimeZoneId: tenant.TimeZone,
            ReplyLengthLimit: assistant.ReplyLengthLimit);
    }

    private void Apply(Conversation conversation, ConversationPhone phone, Assistant assistant, AgentDecision decision)
    {
        var contact = conversation.Contact;
        if (decision.ContactFirstName is { Length: > 0 } name && !contact.IsClient && contact.FirstName is null)
        {
            contact.FirstName = name;
        }

        if (decision.IdentityConfirmed == true)
        {
            conversation.IdentityConfirmed = true;
        }

        if (decision.Reply is { } reply && decision.Outcome != AgentOutcome.NotInterested)
        {
            var text = SmsText.TrimToLength(SmsText.MakeGsmFriendly(reply), assistant.ReplyLengthLimit);
            if (OutboundMessages.Validate(text) is null)
            {
                outbound.Queue(conversation, phone.Number, text, MessageAuthor.Agent);
                phone.Turns++;
                conversation.Turns++;
            }
        }

        if (decision.Outcome != AgentOutcome.Ongoing)
        {
            SetOutcome(conversation, phone, decision.Outcome);
        }

        LogDecided(logger, conversation.Id, decision.Outcome, model.Name);
    }

    private static void SetOutcome(Conversation conversation, ConversationPhone phone, AgentOutcome outcome)
    {
        phone.Outcome = outcome;
        phone.AiPaused = true;
        conversation.Outcome = outcome;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent skipped conversation {ConversationId}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, Guid conversationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discarded a stale reply in conversation {ConversationId}: the conversation changed while the model was thinking")]
    private static partial void LogStale(ILogger logger, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent decided {Outcome} in conversation {ConversationId} with {Model}")]
    private static partial void LogDecided(ILogger logger, Guid conversationId, AgentOutcome outcome, string model);
}
