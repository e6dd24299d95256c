using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Billing;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging;
using Parley.Work;

namespace Parley.FollowUps;

/// <summary>Payload of a follow-up due: which one, and the contact whose conversation's key it runs under.</summary>
public sealed record FollowUpWork(Guid FollowUpId, Guid ContactId);

/// <summary>
/// Sends a follow-up when it is due (work kind <c>followup.send</c>), under the conversation's key so it never
/// runs beside a text or turn of the same conversation. Everything is checked again at send time: the agent's
/// gates (plan, A2P, mode, wallet, pauses, opt-out), the outcome, the contact's quiet hours and the tenant's
/// sending limits, which it shares with campaigns (a follow-up over them waits for the next slot). The
/// OpenAI-compatible model writes it from the conversation (<see cref="FollowUpText"/>'s templates are the fallback,
/// and the rules model's text); it is charged as an AI reply and sent through the outbox like any AI reply.
/// </summary>
public sealed class FollowUpSender(
    ParleyDb db,
    AgentGates gates,
    AssistantSelector assistants,
    FollowUpScheduler scheduler,
    OutboundMessages outbound,
    ActivityLog activity,
    Wallet wallet,
    WorkQueue work,
    SendingLimits limits,
    TurnRunner turn,
    TimeProvider time) : IWorkHandler
{
    public static readonly WorkKind<FollowUpWork> Work = new("followup.send", (w, _) => ConversationWork.SerialKeyFor(w.ContactId));

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var payload = Work.Read(item);
        var followUp = await db.FollowUps.FirstOrDefaultAsync(f => f.Id == payload.FollowUpId, cancellationToken);
        if (followUp is not { Status: FollowUpStatus.Scheduled })
        {
            return WorkResult.Done;
        }

        var conversation = await db.Conversations.Include(c => c.Phones).Include(c => c.Contact)
            .FirstAsync(c => c.Id == followUp.ConversationId, cancellationToken);
        var tenant = await db.Tenants.FirstAsync(t => t.Id == conversation.TenantId, cancellationToken);
        var phone = conversation.Phones.FirstOrDefault(p => p.Number == followUp.ContactNumber);
        var now = time.GetUtcNow().UtcDateTime;
        var mode = await assistants.ModeForAsync(conversation.Mode, conversation.AssistantId, cancellationToken);
        var closed = phone is null ? "the number is no longer part of the conversation."
            : conversation.Outcome is { } outcome ? $"the conversation ended ({outcome})."
            : mode == AiMode.Suggest ? "the agent only suggests replies here; a person decides what to send."
            : (await gates.FirstClosedAsync(tenant, conversation, phone, mode, cancellationToken))?.Reason;
        if (closed is not null)
        {
            scheduler.Cancel(tenant.Id, followUp, closed);
            return WorkResult.Done;
        }

        var allowed = QuietHours.NextAllowedUtc(followUp.ContactNumber, now, tenant.TimeZone, conversation.Contact.TimeZone);
        if (allowed > now)
        {
            return Later(followUp, payload, allowed);
        }

        // Held to the campaign limits: looked at for the smallest text before it is written, then decided for its own
        // segments together with the send itself.
        var from = conversation.TenantNumber;
        if (await limits.WaitForRoomAsync(tenant.Id, from, 1, now, cancellationToken) is { } roomAt)
        {
            return Later(followUp, payload, roomAt);
        }

        var assistant = await assistants.ForConversationAsync(tenant.Id, conversation.AssistantId, cancellationToken);
        var (text, sourcesJson) = await WriteAsync(tenant, conversation, followUp, assistant, cancellationToken);
        var segments = SmsSegments.Measure(text).Segments;
        now = time.GetUtcNow().UtcDateTime; // the model may have taken a while
        var sendAt = await limits.SendIfRoomAsync(tenant.Id, from, segments, now, async () =>
        {
            if (!await db.FollowUps.AsNoTracking().AnyAsync(f => f.Id == followUp.Id && f.Status == FollowUpStatus.Scheduled, cancellationToken))
            {
                return; // cancelled while its text was being written
            }

            var chargeKey = $"ai-reply:follow-up:{followUp.Id}";
            if (await wallet.TryChargeAiReplyAsync(tenant.Id, chargeKey, cancellationToken))
            {
                var message = outbound.Queue(conversation, followUp.ContactNumber, text, MessageAuthor.Agent);
                message.ChargeKey = chargeKey;
                message.SourcesJson = sourcesJson;
                followUp.Status = FollowUpStatus.Sent;
                followUp.ResolvedAtUtc = now;
                followUp.SentFrom = from;
                followUp.Segments = segments;
                activity.Record(tenant.Id, conversation.Id, ActivityKind.FollowUpSent, text);
                scheduler.AfterFollowUp(tenant, conversation, followUp, assistant);
            }
            else
            {
                AgentGates.CountSkippedForEmptyWallet(conversation);
                scheduler.Cancel(tenant.Id, followUp, AgentGates.WalletEmpty);
            }

            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return sendAt is { } at ? Later(followUp, payload, at) : WorkResult.Done;
    }

    /// <summary>The model writes the follow-up from the conversation when it can (the OpenAI-compatible model); the
    /// template is the fallback for the rules model, a model that fails, or an answer that cannot be sent.</summary>
    private async Task<(string Text, string? SourcesJson)> WriteAsync(
        Tenant tenant, Conversation conversation, FollowUp followUp, Assistant assistant, CancellationToken cancellationToken)
    {
        var steps = FollowUpSchedule.Parse(assistant.FollowUpHours).Count;
        var template = FollowUpText.Write(followUp, steps, conversation.Contact.FirstName, tenant.Name, assistant.ReplyLengthLimit);
        if (!turn.WritesFollowUps)
        {
            return (template, null);
        }

        var ask = new FollowUpAsk(followUp.Step + 1, followUp.Requested ? 1 : steps, followUp.Requested, FollowUpText.IsLast(followUp, steps));
        try
        {
            var history = await ConversationAgent.HistoryAsync(db, conversation.Id, cancellationToken);
            var input = await ConversationAgent.InputAsync(db, tenant, assistant, conversation, history, cancellationToken);
            if (await turn.WriteFollowUpAsync(input with { ConversationId = conversation.Id }, ask, cancellationToken) is { Reply: { } written } result)
            {
                return (written, ReplySources.Serialize(result.Sources));
            }

            activity.Record(tenant.Id, conversation.Id, ActivityKind.ModelError, "Follow-up written from a template: the model gave no text that could be sent.",
                usage: new AgentUsage(turn.ModelName, TimeSpan.Zero, null, null));
        }
        catch (AgentModelException ex)
        {
            activity.Record(tenant.Id, conversation.Id, ActivityKind.ModelError, $"Follow-up written from a template: {ex.Message}",
                usage: new AgentUsage(turn.ModelName, TimeSpan.Zero, null, null));
        }

        return (template, null);
    }

    /// <summary>Not yet: the follow-up waits, still scheduled, for <paramref name="dueAtUtc"/>.</summary>
    private WorkResult Later(FollowUp followUp, FollowUpWork payload, DateTime dueAtUtc)
    {
        followUp.DueAtUtc = dueAtUtc;
        work.Enqueue(Work, payload, followUp.TenantId, dueAtUtc);
        return WorkResult.Done;
    }
}
