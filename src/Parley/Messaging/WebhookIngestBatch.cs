using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Data;
using Parley.Messaging.Telnyx;
using Parley.Work;

namespace Parley.Messaging;

/// <summary>What became of one webhook event; its answer is sent only once this is durable.</summary>
public enum IngestOutcome
{
    /// <summary>Stored with its work, in a commit that is on disk.</summary>
    Accepted,

    /// <summary>Its event id or message id is already stored (in an earlier commit, or earlier in the same one).</summary>
    Duplicate,

    /// <summary>An inbound text to a number no tenant owns: nothing stored.</summary>
    NoTenant,
}

/// <summary>One verified, parsed webhook waiting for the commit that holds it.</summary>
public sealed class PendingWebhook(TelnyxEvent evt, string body, string? traceParent)
{
    public const string Provider = "telnyx";

    public TelnyxEvent Event { get; } = evt;

    public string Body { get; } = body;

    /// <summary>The request's trace, carried onto its work item: the batcher's own context is nobody's.</summary>
    public string? TraceParent { get; } = traceParent;

    /// <summary>Inbound texts count once per carrier message (a re-sent event has a new event id); the rest once per event.</summary>
    public string DedupeKey { get; } = evt.Inbound is not null ? $"message.received:{evt.MessageId}" : $"event:{evt.EventId}";

    public TaskCompletionSource<IngestOutcome> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Turns a batch of webhooks into rows on one context, with one query per lookup for the whole batch: which
/// are stored already (event id or message id), which tenant owns each number texted, which texters are
/// known contacts. A set catches the same event twice inside the batch. Nothing is saved here.
/// </summary>
public static class WebhookIngestBatch
{
    public static async Task<IngestOutcome[]> AddAsync(ParleyDb db, WorkQueue work, IReadOnlyList<PendingWebhook> batch, DateTime now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(batch);
        var keys = batch.Select(p => p.DedupeKey).Distinct().ToList();
        var eventIds = batch.Select(p => p.Event.EventId).Distinct().ToList();
        // Two index lookups joined by UNION: with an OR between the two lists, SQLite walks every stored event of
        // the provider (and reads each row) instead of seeking each key, so each batch grew slower with the table.
        var stored = await db.WebhookEvents
            .Where(e => e.Provider == PendingWebhook.Provider && keys.Contains(e.DedupeKey))
            .Select(e => new { e.DedupeKey, e.EventId })
            .Union(db.WebhookEvents
                .Where(e => e.Provider == PendingWebhook.Provider && eventIds.Contains(e.EventId))
                .Select(e => new { e.DedupeKey, e.EventId }))
            .ToListAsync(cancellationToken);
        var seenKeys = stored.Select(s => s.DedupeKey).ToHashSet(StringComparer.Ordinal);
        var seenEventIds = stored.Select(s => s.EventId).ToHashSet(StringComparer.Ordinal);
        var owners = await OwnersAsync(db, batch, cancellationToken);
        var contacts = await KnownContactsAsync(db, batch, owners, cancellationToken);

        var outcomes = new IngestOutcome[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var pending = batch[i];
            var evt = pending.Event;
            if (seenKeys.Contains(pending.DedupeKey) || seenEventIds.Contains(evt.EventId))
            {
                outcomes[i] = IngestOutcome.Duplicate;
                continue;
            }

            WorkItem? item = null;
            if (evt.Inbound is { } sms)
            {
                if (!owners.TryGetValue(sms.To, out var tenantId))
                {
                    outcomes[i] = IngestOutcome.NoTenant;
                    continue;
                }

                var contactId = contacts.TryGetValue((tenantId, sms.From), out var known) ? known : InboundWork.NewContactId(tenantId, sms.From);
                item = work.Enqueue(InboundTextProcessor.Work, new InboundWork(tenantId, sms, contactId), tenantId);
            }
            else if (evt.Delivery is { } report)
            {
                item = work.Enqueue(DeliveryStatusUpdater.Work, report, null);
            }

            if (item is not null)
            {
                item.TraceParent = pending.TraceParent;
            }

            seenKeys.Add(pending.DedupeKey);
            seenEventIds.Add(evt.EventId);
            db.WebhookEvents.Add(new WebhookEvent
            {
                Provider = PendingWebhook.Provider,
                EventId = evt.EventId,
                EventType = evt.EventType,
                MessageId = evt.MessageId,
                DedupeKey = pending.DedupeKey,
                Body = pending.Body,
                ReceivedAtUtc = now,
            });
            outcomes[i] = IngestOutcome.Accepted;
        }

        return outcomes;
    }

    private static async Task<Dictionary<string, Guid>> OwnersAsync(ParleyDb db, IReadOnlyList<PendingWebhook> batch, CancellationToken cancellationToken)
    {
        var numbers = batch.Select(p => p.Event.Inbound?.To).OfType<string>().Distinct().ToList();
        return numbers.Count == 0
            ? []
            : await db.PhoneNumbers.IgnoreQueryFilters().Where(n => numbers.Contains(n.Number))
                .ToDictionaryAsync(n => n.Number, n => n.TenantId, StringComparer.Ordinal, cancellationToken);
    }

    private static async Task<Dictionary<(Guid TenantId, string Number), Guid>> KnownContactsAsync(
        ParleyDb db, IReadOnlyList<PendingWebhook> batch, Dictionary<string, Guid> owners, CancellationToken cancellationToken)
    {
        var texters = batch.Select(p => p.Event.Inbound).OfType<InboundSms>().Where(s => owners.ContainsKey(s.To)).Select(s => s.From).Distinct().ToList();
        if (texters.Count == 0)
        {
            return [];
        }

        var tenants = owners.Values.Distinct().ToList();
        var phones = await db.ContactPhones.IgnoreQueryFilters()
            .Where(p => tenants.Contains(p.TenantId) && texters.Contains(p.Number))
            .Select(p => new { p.TenantId, p.Number, p.ContactId })
            .ToListAsync(cancellationToken);
        return phones.ToDictionary(p => (p.TenantId, p.Number), p => p.ContactId);
    }
}
