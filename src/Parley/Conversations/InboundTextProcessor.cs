using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Billing;
using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Conversations;

/// <summary>Payload of an inbound text waiting to be processed, with the tenant that owns the number texted.</summary>
/// <param name="ContactId">the texter's contact, or the id the contact made for a new number gets; the serial
/// key (empty on items queued before it was carried)</param>
public sealed record InboundWork(Guid TenantId, InboundSms Sms, Guid ContactId)
{
    /// <summary>The work for a text to a tenant's number: runs under the texter's conversation key.</summary>
    public static async Task<InboundWork> ForAsync(ParleyDb db, Guid tenantId, InboundSms sms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sms);
        var known = await db.ContactPhones.IgnoreQueryFilters().Where(p => p.TenantId == tenantId && p.Number == sms.From)
            .Select(p => (Guid?)p.ContactId).FirstOrDefaultAsync(cancellationToken);
        return new InboundWork(tenantId, sms, known ?? NewContactId(tenantId, sms.From));
    }

    /// <summary>The id of the contact a first text from <paramref name="number"/> creates: the same for every
    /// text of a first burst, so they and the turn they schedule share one serial key.</summary>
    public static Guid NewContactId(Guid tenantId, string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var input = new byte[16 + System.Text.Encoding.UTF8.GetByteCount(number)];
        tenantId.TryWriteBytes(input);
        System.Text.Encoding.UTF8.GetBytes(number, input.AsSpan(16));
        return new Guid(System.Security.Cryptography.SHA256.HashData(input).AsSpan(0, 16));
    }
}

/// <summary>
/// Files an inbound text: finds or creates the contact and the conversation to continue, stores the
/// message once (the carrier's message id is unique), applies opt-out words at once, and schedules one
/// agent turn after the debounce window so that a burst of texts gets one answer.
/// </summary>
public sealed partial class InboundTextProcessor(
    ParleyDb db,
    ConversationFinder finder,
    WorkQueue work,
    OutboundMessages outbound,
    ReplyDrafts drafts,
    FollowUps.FollowUpScheduler followUps,
    ActivityLog activity,
    Wallet wallet,
    TimeProvider time,
    IOptions<AgentOptions> agentOptions,
    ILogger<InboundTextProcessor> logger) : IWorkHandler
{
    public static readonly WorkKind<InboundWork> Work = new("inbound.sms", (w, _) => ConversationWork.SerialKeyFor(w.ContactId), WorkPriority.Reply);

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var (tenantId, sms, contactId) = Work.Read(item);
        if (await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.CarrierMessageId == sms.CarrierMessageId, cancellationToken))
        {
            return WorkResult.Done;
        }

        var tenant = await db.Tenants.FirstAsync(t => t.Id == tenantId, cancellationToken);
        db.UseTenant(tenant.Id);
        if (!PhoneNumberParser.Default.TryNormalize(sms.From, tenant.DefaultCountry, out var from, out var error))
        {
            return WorkResult.Fail($"Inbound text from a number Parley cannot reply to: {error}");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var newContactId = contactId == Guid.Empty ? InboundWork.NewContactId(tenantId, sms.From) : contactId;
        var (contact, phone) = await finder.FindOrCreateContactAsync(tenant.Id, from.Value, cancellationToken, newContactId);
        var conversation = await finder.FindOrOpenAsync(contact, from.Value, sms.To, cancellationToken);
        var shape = SmsSegments.Measure(sms.Text);
        db.Messages.Add(new Message
        {
            TenantId = tenant.Id,
            ConversationId = conversation.Id,
            Direction = MessageDirection.Inbound,
            Author = MessageAuthor.Contact,
            ContactNumber = from.Value,
            TenantNumber = sms.To,
            Text = sms.Text,
            Encoding = shape.Encoding,
            Segments = sms.Parts is > 0 ? sms.Parts.Value : shape.Segments,
            Status = MessageStatus.Received,
            CarrierMessageId = sms.CarrierMessageId,
            CreatedAtUtc = now,
            StatusAtUtc = sms.ReceivedAtUtc,
        });
        conversation.LastMessageAtUtc = now;
        await drafts.DiscardStaleAsync(conversation, "a newer text arrived.", cancellationToken);
        var intent = OptOutWords.Classify(sms.Text);
        await followUps.CancelAsync(tenant.Id, conversation.Id, intent == OptIntent.OptOut ? "the contact opted out." : "the contact texted.", cancellationToken);
        await wallet.ChargeAsync(tenant.Id, WalletEntryKind.InboundCharge, wallet.Rates.InboundMicros, 1, $"inbound:{sms.CarrierMessageId}", null, "Inbound message", cancellationToken);

        switch (intent)
        {
            case OptIntent.OptOut:
                // Every later send to this number for this tenant is blocked; Telnyx confirms its own keywords.
                // A keyword and a revocation in plain words are the same opt-out: the conversation shows Not
                // Interested and the AI stays silent on this number.
                phone.OptedOutAtUtc ??= now;
                RecordOptOutOutcome(conversation, from.Value);
                activity.Record(tenant.Id, conversation.Id, ActivityKind.OptedOut, $"{from} opted out; no further texts will be sent to this number.");
                activity.Record(tenant.Id, conversation.Id, ActivityKind.Outcome, "Opted out: Not Interested, paused without a reply.", AgentOutcome.NotInterested);
                LogOptOut(logger, conversation.Id);
                return WorkResult.Done;
            case OptIntent.OptIn:
                if (phone.OptedOutAtUtc is not null)
                {
                    activity.Record(tenant.Id, conversation.Id, ActivityKind.OptedIn, $"{from} opted back in.");
                }

                phone.OptedOutAtUtc = null;
                return WorkResult.Done;
            case OptIntent.Help:
                // Telnyx answers its own HELP keyword; Parley answers the other help words (INFO) once, with
                // who is texting and how to stop, and never adds a second answer to a carrier keyword.
                if (!OptOutWords.IsCarrierKeyword(sms.Text) && phone.OptedOutAtUtc is null)
                {
                    outbound.Queue(conversation, from.Value, HelpReply(tenant.Name), MessageAuthor.System);
                }

                return WorkResult.Done;
        }

        if (phone.OptedOutAtUtc is null)
        {
            var due = now + TimeSpan.FromSeconds(Math.Max(0, agentOptions.Value.DebounceSeconds));
            await work.ScheduleOnceAsync(ConversationAgent.Work, ConversationWork.For(conversation), tenant.Id, due, cancellationToken);
        }

        return WorkResult.Done;
    }

    private static void RecordOptOutOutcome(Conversation conversation, string number)
    {
        conversation.Outcome = AgentOutcome.NotInterested;
        if (conversation.Phones.FirstOrDefault(p => p.Number == number) is { } conversationPhone)
        {
            conversationPhone.Outcome = AgentOutcome.NotInterested;
            conversationPhone.AiPaused = true;
        }
    }

    public static string HelpReply(string business) =>
        SmsText.TrimToLength(SmsText.MakeGsmFriendly($"{business}: you're texting with us about your enquiry. Msg&data rates may apply. Reply STOP to opt out."), 160);

    [LoggerMessage(Level = LogLevel.Information, Message = "Contact opted out in conversation {ConversationId}")]
    private static partial void LogOptOut(ILogger logger, Guid conversationId);
}
