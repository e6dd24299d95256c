namespace Parley.Messaging;

/// <summary>The edge to a phone carrier: Telnyx in production, the built-in Sandbox otherwise.</summary>
public interface ICarrier
{
    string Name { get; }

    /// <param name="idempotencyKey">Stable per logical message: a retry after a crash or timeout reuses it,
    /// so the carrier can recognise the repeat and not deliver the text twice.</param>
    Task<SendResult> SendAsync(OutboundSms sms, string idempotencyKey, CancellationToken cancellationToken);
}

public sealed record OutboundSms(string From, string To, string Text, string? MessagingProfileId);

/// <summary>What the carrier said to one send. Each push-back is its own type, so callers never read error strings.</summary>
public abstract record SendResult
{
    private SendResult()
    {
    }

    /// <summary>The carrier took the message; delivery is reported later.</summary>
    public sealed record Accepted(string CarrierMessageId, int? Parts) : SendResult;

    /// <summary>The recipient opted out at the carrier (Telnyx 40300): mark opted out, never retry.</summary>
    public sealed record OptedOut(string Code, string Detail) : SendResult;

    /// <summary>Permanent refusal (other 4xx): the message failed with the carrier's reason.</summary>
    public sealed record Rejected(string Code, string Detail) : SendResult;

    /// <summary>The carrier asked us to slow down (429, Telnyx 10011 / 40011): try again after <paramref name="RetryAfter"/>.</summary>
    public sealed record RateLimited(string Code, string Detail, TimeSpan? RetryAfter) : SendResult;

    /// <summary>The carrier could not be reached or failed (5xx, timeout, network, circuit open): try again later.</summary>
    public sealed record Transient(string Code, string Detail, TimeSpan? RetryAfter = null) : SendResult;
}

/// <summary>A text a contact sent to one of a tenant's numbers, as the carrier reported it.</summary>
public sealed record InboundSms(string CarrierMessageId, string From, string To, string Text, DateTime ReceivedAtUtc, int? Parts = null);

/// <summary>A delivery status change for an outbound message, as the carrier reported it.</summary>
public sealed record DeliveryReport(
    string CarrierMessageId,
    MessageStatus Status,
    DateTime OccurredAtUtc,
    string? ErrorCode = null,
    string? ErrorDetail = null,
    int? Parts = null);

/// <summary>Outbound message lifecycle. The numeric order is the forward order: status only ever moves up.</summary>
public enum MessageStatus
{
    Received = 0,
    Pending = 10,
    Sending = 20,
    Queued = 30,
    Sent = 40,
    DeliveryUnconfirmed = 50,
    Delivered = 60,
    Failed = 70,
}
