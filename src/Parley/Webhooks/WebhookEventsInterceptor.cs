using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Campaigns;
using Parley.Conversations;
using Parley.Data;
using Parley.Email;
using Parley.Messaging;
using Parley.Work;

namespace Parley.Webhooks;

/// <summary>
/// Notices, in every save, the changes tenants' endpoints hear about (a text received, a status reached, an
/// outcome, a callback booked, an opt-out, a campaign finished) and adds their events to the same save, so an
/// event exists exactly when its change was committed. No feature has to remember to raise them.
/// </summary>
public sealed class WebhookEventsInterceptor(TimeProvider time, WorkSignal signal, IOptions<EmailOptions> email) : SaveChangesInterceptor
{
    /// <summary>The same changes call the people who should act, by email, when email is set up.</summary>
    private int QueueAlerts(ParleyDb db, List<WebhookEvents.Raised> events) => email.Value.Enabled ? HandoffAlerts.Queue(db, time, events) : 0;

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is ParleyDb db && await CollectAsync(db, cancellationToken) is { Count: > 0 } events
            && await WebhookEvents.RecordAsync(db, time, events, cancellationToken) + QueueAlerts(db, events) > 0)
        {
            signal.Wake();
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        // The app saves asynchronously; a synchronous save (tools, tests) records its events the same way.
        if (eventData.Context is ParleyDb db && CollectAsync(db, CancellationToken.None).GetAwaiter().GetResult() is { Count: > 0 } events)
        {
            WebhookEvents.RecordAsync(db, time, events, CancellationToken.None).GetAwaiter().GetResult();
            QueueAlerts(db, events);
        }

        return result;
    }

    private static async Task<List<WebhookEvents.Raised>> CollectAsync(ParleyDb db, CancellationToken cancellationToken)
    {
        var events = new List<WebhookEvents.Raised>();
        var completed = new List<Campaign>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Message m:
                    AddMessage(events, entry, m);
                    break;
                case Conversation c:
                    AddConversation(events, entry, c);
                    break;
                case Callback cb when entry.State == EntityState.Added:
                    events.Add(new(cb.TenantId, WebhookEventTypes.AppointmentScheduled,
                        new { callbackId = cb.Id, conversationId = cb.ConversationId, contactId = cb.ContactId, phone = cb.ContactNumber, callbackAt = cb.DueAtUtc },
                        ConversationId: cb.ConversationId, Reason: nameof(AgentOutcome.AppointmentScheduled)));
                    break;
                case ContactPhone p when Became(entry, nameof(ContactPhone.OptedOutAtUtc)):
                    events.Add(new(p.TenantId, WebhookEventTypes.ContactOptedOut, new { contactId = p.ContactId, phone = p.Number, optedOutAt = p.OptedOutAtUtc }));
                    break;
                case Campaign c when Changed(entry, nameof(Campaign.Status)) && c.Status == CampaignStatus.Completed:
                    completed.Add(c);
                    break;
            }
        }

        foreach (var campaign in completed)
        {
            events.Add(await CampaignCompletedEvent.CountAsync(db, campaign, cancellationToken));
        }

        return events;
    }

    private static void AddMessage(List<WebhookEvents.Raised> events, EntityEntry entry, Message m)
    {
        string? type = null;
        if (entry.State == EntityState.Added && m.Direction == MessageDirection.Inbound)
        {
            type = WebhookEventTypes.MessageReceived;
        }
        else if (m.Direction == MessageDirection.Outbound && (entry.State == EntityState.Added || Changed(entry, nameof(Message.Status))))
        {
            type = m.Status switch
            {
                MessageStatus.Sent => WebhookEventTypes.MessageSent,
                MessageStatus.Delivered => WebhookEventTypes.MessageDelivered,
                MessageStatus.Failed => WebhookEventTypes.MessageFailed,
                _ => null,
            };

            // The carrier's reports can arrive out of order or one can be lost: a text that reached the handset
            // without a "sent" report before was still sent, and a receiver counting sends must hear it once.
            var before = entry.State == EntityState.Added ? (MessageStatus?)null : (MessageStatus)entry.Property(nameof(Message.Status)).OriginalValue!;
            if (m.Status is MessageStatus.Delivered or MessageStatus.DeliveryUnconfirmed && before is null or < MessageStatus.Sent)
            {
                AddMessageEvent(events, WebhookEventTypes.MessageSent, m);
            }
        }

        if (type is null)
        {
            return;
        }

        AddMessageEvent(events, type, m);
    }

    private static void AddMessageEvent(List<WebhookEvents.Raised> events, string type, Message m)
    {
        var inbound = m.Direction == MessageDirection.Inbound;
        events.Add(new(m.TenantId, type, new
        {
            conversationId = m.ConversationId,
            direction = m.Direction,
            author = m.Author,
            isAi = m.IsAi,
            from = inbound ? m.ContactNumber : m.TenantNumber,
            to = inbound ? m.TenantNumber : m.ContactNumber,
            text = m.Text,
            segments = m.Segments,
            status = m.Status,
            errorCode = m.ErrorCode,
            error = m.Error,
        }, m));
    }

    private static void AddConversation(List<WebhookEvents.Raised> events, EntityEntry entry, Conversation c)
    {
        if (Changed(entry, nameof(Conversation.Outcome)) && c.Outcome is { } outcome && outcome != AgentOutcome.Ongoing)
        {
            events.Add(new(c.TenantId, WebhookEventTypes.ConversationOutcome, new { conversationId = c.Id, contactId = c.ContactId, outcome }));
            var before = entry.State == EntityState.Added ? null : (AgentOutcome?)entry.Property(nameof(Conversation.Outcome)).OriginalValue;
            if (ConversationsApi.AttentionOutcomes.Contains(outcome) && (before is null || !ConversationsApi.AttentionOutcomes.Contains(before.Value)))
            {
                events.Add(NeedsAttention(c, outcome.ToString()));
            }
        }

        if (Became(entry, nameof(Conversation.ModelFailedAtUtc)))
        {
            events.Add(NeedsAttention(c, "ModelFailed"));
        }

        if (Became(entry, nameof(Conversation.UnansweredQuestionAtUtc)))
        {
            events.Add(NeedsAttention(c, "UnansweredQuestion"));
        }
    }

    private static WebhookEvents.Raised NeedsAttention(Conversation c, string reason) =>
        new(c.TenantId, WebhookEventTypes.ConversationNeedsAttention, new { conversationId = c.Id, contactId = c.ContactId, reason }, ConversationId: c.Id, Reason: reason);

    private static bool Changed(EntityEntry entry, string property)
    {
        var p = entry.Property(property);
        return entry.State == EntityState.Added ? p.CurrentValue is not null : p.IsModified && !Equals(p.OriginalValue, p.CurrentValue);
    }

    /// <summary>A value set where there was none: null before (or a new row), something now.</summary>
    private static bool Became(EntityEntry entry, string property)
    {
        var p = entry.Property(property);
        return p.CurrentValue is not null && (entry.State == EntityState.Added || p.OriginalValue is null);
    }
}
