using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Parley.Conversations;
using Parley.Data;
using Parley.Work;

namespace Parley.Webhooks;

/// <summary>
/// Records events for the tenant's webhook endpoints as part of the caller's unit of work: an <see cref="OutboxEvent"/>
/// and one queued delivery per endpoint that wants its type, saved with the change the event reports. Most events are
/// noticed by <see cref="WebhookEventsInterceptor"/>; a feature whose event is not a change to a row raises it here.
/// </summary>
public sealed class WebhookEvents(ParleyDb db, TimeProvider time)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>An event to record: its type (one of <see cref="WebhookEventTypes"/>), its <c>data</c>, and the
    /// message it is about when there is one (the message's id is filled in once the database assigns it). An event
    /// that calls for a person names its conversation and why, for the handoff alert.</summary>
    public sealed record Raised(Guid TenantId, string Type, object Data, Message? Message = null, Guid? ConversationId = null, string? Reason = null);

    /// <summary>Records an event for the endpoints that want it; saved by the caller's next save.</summary>
    public Task RaiseAsync(Guid tenantId, string type, object data, CancellationToken cancellationToken) =>
        RecordAsync(db, time, [new Raised(tenantId, type, data)], cancellationToken);

    /// <summary>Adds the events and their deliveries to <paramref name="db"/>; nothing at all for a tenant without endpoints.</summary>
    internal static async Task<int> RecordAsync(ParleyDb db, TimeProvider time, IReadOnlyList<Raised> events, CancellationToken cancellationToken)
    {
        var queued = 0;
        var now = time.GetUtcNow().UtcDateTime;
        var queue = new WorkQueue(db, time);
        foreach (var forTenant in events.GroupBy(e => e.TenantId))
        {
            var tenantId = forTenant.Key;
            var endpoints = await db.Set<WebhookEndpoint>().IgnoreQueryFilters().AsNoTracking()
                .Where(e => e.TenantId == tenantId && e.Enabled).ToListAsync(cancellationToken);
            foreach (var raised in forTenant)
            {
                var wanting = raised.Type == WebhookEventTypes.Test ? endpoints : endpoints.Where(e => e.Wants(raised.Type)).ToList();
                queued += Add(db, queue, now, raised, wanting);
            }
        }

        return queued;
    }

    /// <summary>A test event for one endpoint only, whatever types it asked for.</summary>
    internal static void RecordTest(ParleyDb db, TimeProvider time, WebhookEndpoint endpoint) =>
        Add(db, new WorkQueue(db, time), time.GetUtcNow().UtcDateTime, new Raised(endpoint.TenantId, WebhookEventTypes.Test, new { message = "A test event from Parley." }), [endpoint]);

    private static int Add(ParleyDb db, WorkQueue queue, DateTime now, Raised raised, List<WebhookEndpoint> endpoints)
    {
        if (endpoints.Count == 0)
        {
            return 0;
        }

        var outboxEvent = new OutboxEvent
        {
            Id = Guid.CreateVersion7(),
            TenantId = raised.TenantId,
            Type = raised.Type,
            OccurredAtUtc = now,
            DataJson = JsonSerializer.Serialize(raised.Data, Json),
            Message = raised.Message,
        };
        db.Add(outboxEvent);
        foreach (var endpoint in endpoints)
        {
            var delivery = new WebhookDelivery
            {
                Id = Guid.CreateVersion7(),
                TenantId = raised.TenantId,
                EndpointId = endpoint.Id,
                EventId = outboxEvent.Id,
                Event = outboxEvent,
                Status = DeliveryStatus.Pending,
                CreatedAtUtc = now,
                NextAttemptAtUtc = now,
            };
            db.Add(delivery);
            queue.Enqueue(WebhookDeliverer.Work, new WebhookDeliverer.Payload(delivery.Id, endpoint.Id), raised.TenantId, now);
        }

        return endpoints.Count;
    }

    /// <summary>The request body, <c>{type, timestamp, data}</c>: the same bytes on every attempt.</summary>
    public static string Body(OutboxEvent outboxEvent)
    {
        ArgumentNullException.ThrowIfNull(outboxEvent);
        var data = JsonNode.Parse(outboxEvent.DataJson) as JsonObject ?? [];
        if (outboxEvent.MessageId is { } messageId)
        {
            data["messageId"] = messageId;
        }

        var body = new JsonObject
        {
            ["type"] = outboxEvent.Type,
            ["timestamp"] = outboxEvent.OccurredAtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture),
            ["data"] = data,
        };
        return body.ToJsonString(Json);
    }
}
