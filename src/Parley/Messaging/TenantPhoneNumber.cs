using Parley.Accounts;

namespace Parley.Messaging;

/// <summary>A number a tenant texts from and receives on. A number belongs to one tenant only.</summary>
public sealed class TenantPhoneNumber : ITenantOwned
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Number { get; set; }
    public string? MessagingProfileId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

/// <summary>A carrier webhook event as it arrived: the raw body for audit, the keys that make it count once.</summary>
public sealed class WebhookEvent
{
    public long Id { get; set; }
    public required string Provider { get; set; }
    public required string EventId { get; set; }
    public required string EventType { get; set; }

    /// <summary>For <c>message.received</c> the carrier message id, so a re-sent event with a new event id
    /// still counts once; for other events the event id again.</summary>
    public required string DedupeKey { get; set; }

    public string? MessageId { get; set; }
    public required string Body { get; set; }
    public DateTime ReceivedAtUtc { get; set; }
}
