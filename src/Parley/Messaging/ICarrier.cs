namespace Parley.Messaging;

/// <summary>The edge to a phone carrier: Telnyx in production, the built-in Sandbox otherwise.</summary>
public interface ICarrier
{
    string Name { get; }

    /// <param name="idempotencyKey">Stable per logical message: a retry after a crash or timeout reuses it,
    /// so the carrier can recognise the repeat and not deliver the text twice.</param>
    Task<CarrierSendResult> SendAsync(OutboundSms sms, string idempotencyKey, CancellationToken cancellationToken);
}

public sealed record OutboundSms(string From, string To, string Text, string? MessagingProfileId);

public enum CarrierSendOutcome
{
    /// <summary>The carrier took the message; delivery is reported later.</summary>
    Accepted,
    /// <summary>The recipient opted out at the carrier (Telnyx 40300): mark opted out, never retry.</summary>
    OptedOut,
    /// <summary>Transient (429, 5xx, network): try again after <see cref="CarrierSendResult.RetryAfter"/>.</summary>
    RetryLater,
    /// <summary>Permanent refusal (other 4xx): the message failed with the carrier's reason.</summary>
    Rejected,
}

public sealed record CarrierSendResult(
    CarrierSendOutcome Outcome,
    string? CarrierMessageId = null,
    int? Parts = null,
    string? ErrorCode = null,
    string? ErrorDetail = null,
    TimeSpan? RetryAfter = null)
{
    public static CarrierSendResult Accepted(string carrierMessageId, int? parts) =>
        new(CarrierSendOutcome.Accepted, carrierMessageId, parts);
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
