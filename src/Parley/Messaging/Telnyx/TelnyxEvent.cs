using System.Diagnostics.CodeAnalysis;

namespace Parley.Messaging.Telnyx;

/// <summary>One Telnyx webhook event. <see cref="EventId"/> (<c>data.id</c>) deduplicates retries;
/// <see cref="MessageId"/> (<c>data.payload.id</c>) is the message it is about.</summary>
public sealed record TelnyxEvent(
    string EventId,
    string EventType,
    DateTime? OccurredAtUtc,
    string? MessageId,
    InboundSms? Inbound,
    DeliveryReport? Delivery,
    string? AutoresponseType)
{
    /// <summary>NUL characters the inbound text carried, replaced before it is stored (PostgreSQL text cannot hold them).</summary>
    public int ReplacedNulCharacters { get; init; }
}

public sealed record TelnyxWebhookParse
{
    private TelnyxWebhookParse(TelnyxEvent? @event, string? error)
    {
        Event = @event;
        Error = error;
    }

    public TelnyxEvent? Event { get; }

    /// <summary>Why the body was refused, fit for a 400 problem detail.</summary>
    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Event is not null;

    public static TelnyxWebhookParse Ok(TelnyxEvent @event) => new(@event, null);

    public static TelnyxWebhookParse Fail(string error) => new(null, error);
}
