using Microsoft.EntityFrameworkCore;
using Parley.Accounts;
using Parley.Agent;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Work;

namespace Parley.FollowUps;

/// <summary>Plans follow-ups after the agent's texts and cancels them when the conversation moves on. Both
/// add to the caller's unit of work, so a follow-up exists exactly when the text or change that caused it does.</summary>
public sealed class FollowUpScheduler(ParleyDb db, WorkQueue work, ActivityLog activity, TimeProvider time)
{
    /// <summary>After the agent texted <paramref name="number"/>: the time the contact asked for, else the first
    /// step of the assistant's schedule (none when it has none).</summary>
    public void AfterAgentText(Tenant tenant, Conversation conversation, string number, Assistant assistant, DateTime? requestedUtc)
    {
        ArgumentNullException.ThrowIfNull(assistant);
        if (requestedUtc is { } asked)
        {
            Schedule(tenant, conversation, number, 0, requested: true, asked);
        }
        else if (FollowUpSchedule.Parse(assistant.FollowUpHours) is [var first, ..])
        {
            Schedule(tenant, conversation, number, 0, requested: false, Now.AddHours(first));
        }
    }

    /// <summary>After follow-up <paramref name="sent"/> went out: the next step of the schedule, if any.</summary>
    public void AfterFollowUp(Tenant tenant, Conversation conversation, FollowUp sent, Assistant assistant)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(assistant);
        var steps = FollowUpSchedule.Parse(assistant.FollowUpHours);
        if (!sent.Requested && sent.Step + 1 < steps.Count)
        {
            Schedule(tenant, conversation, sent.ContactNumber, sent.Step + 1, requested: false, Now.AddHours(steps[sent.Step + 1]));
        }
    }

    private void Schedule(Tenant tenant, Conversation conversation, string number, int step, bool requested, DateTime dueUtc)
    {
        var followUp = new FollowUp
        {
            Id = Guid.CreateVersion7(),
            TenantId = conversation.TenantId,
            ConversationId = conversation.Id,
            ContactNumber = number,
            Step = step,
            Requested = requested,
            Status = FollowUpStatus.Scheduled,
            DueAtUtc = QuietHours.NextAllowedUtc(number, dueUtc, tenant.TimeZone, conversation.Contact?.TimeZone),
            CreatedAtUtc = Now,
        };
        db.FollowUps.Add(followUp);
        work.Enqueue(FollowUpSender.Work, new FollowUpWork(followUp.Id, conversation.ContactId), conversation.TenantId, followUp.DueAtUtc);
        activity.Record(conversation.TenantId, conversation.Id, ActivityKind.FollowUpScheduled,
            requested ? $"Follow-up scheduled for {followUp.DueAtUtc:yyyy-MM-dd HH:mm} UTC, as the contact asked." : $"Follow-up {step + 1} scheduled for {followUp.DueAtUtc:yyyy-MM-dd HH:mm} UTC.");
    }

    /// <summary>Cancels the conversation's scheduled follow-ups: <paramref name="why"/> ends "Follow-up cancelled: …".</summary>
    public async Task CancelAsync(Guid tenantId, Guid conversationId, string why, CancellationToken cancellationToken)
    {
        var scheduled = await db.FollowUps.Where(f => f.ConversationId == conversationId && f.Status == FollowUpStatus.Scheduled).ToListAsync(cancellationToken);
        foreach (var followUp in scheduled.Concat(db.FollowUps.Local.Where(f => f.ConversationId == conversationId && f.Status == FollowUpStatus.Scheduled)).Distinct())
        {
            Cancel(tenantId, followUp, why);
        }
    }

    public void Cancel(Guid tenantId, FollowUp followUp, string why)
    {
        ArgumentNullException.ThrowIfNull(followUp);
        followUp.Status = FollowUpStatus.Cancelled;
        followUp.CancelReason = why.Length <= 300 ? why : why[..300];
        followUp.ResolvedAtUtc = Now;
        activity.Record(tenantId, followUp.ConversationId, ActivityKind.FollowUpCancelled, $"Follow-up cancelled: {why}");
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;
}
