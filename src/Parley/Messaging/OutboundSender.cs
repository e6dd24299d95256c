using Microsoft.EntityFrameworkCore;
using Parley.Billing;
using Parley.Conversations;
using Parley.Data;
using Parley.Telemetry;
using Parley.Work;

namespace Parley.Messaging;

/// <summary>
/// Drains one conversation's outbox in order. Each text is marked Sending before the carrier call and sent
/// with an idempotency key derived from its id, so a crash mid-call is retried without a second delivery.
/// Opt-outs are checked here, at send time, not only when the text was queued.
/// </summary>
public sealed partial class OutboundSender(ParleyDb db, ICarrier carrier, Wallet wallet, TimeProvider time, ParleyMetrics metrics, ILogger<OutboundSender> logger) : IWorkHandler
{
    /// <summary>Drains a conversation's outbox, under the conversation's key: one sender per conversation, so its
    /// texts leave in order, and never while a turn or an inbound text of the conversation runs.</summary>
    public static readonly WorkKind<ConversationWork> Work = new("sms.send", (w, _) => ConversationWork.SerialKeyFor(w.ContactId), WorkPriority.Reply);

    /// <summary>The same job for a campaign's text: its own kind so that it is bulk work, which waits while any
    /// reply (this tenant's or another's) is due. Either kind drains the whole outbox.</summary>
    public static readonly WorkKind<ConversationWork> CampaignWork =
        new("campaign.send", (w, _) => ConversationWork.SerialKeyFor(w.ContactId), WorkPriority.Bulk);

    /// <summary>The kinds whose items send texts.</summary>
    public static readonly string[] SendKinds = [Work.Name, CampaignWork.Name];

    public const int MaxSendAttempts = 8;

    /// <summary>Unique per text across every Parley database that may share a carrier account: the message
    /// id alone repeats after a database is recreated, and the carrier would answer a new text with an old one.</summary>
    public static string IdempotencyKey(Message message) => $"parley:{message.TenantId:N}:{message.Id}";

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var conversationId = Work.Read(item).ConversationId;
        while (true)
        {
            var message = await db.Messages
                .Where(m => m.ConversationId == conversationId && m.Direction == MessageDirection.Outbound
                    && (m.Status == MessageStatus.Pending || m.Status == MessageStatus.Sending))
                .OrderBy(m => m.Id)
                .FirstOrDefaultAsync(cancellationToken);
            if (message is null)
            {
                return WorkResult.Done;
            }

            var phone = await db.ContactPhones.FirstOrDefaultAsync(p => p.Number == message.ContactNumber, cancellationToken);
            if (phone?.OptedOutAtUtc is not null)
            {
                Fail(message, "OPTED_OUT", "Not sent: the contact opted out of texts from this business.");
                await RefundIfChargedAsync(message, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                continue;
            }

            var profile = await db.PhoneNumbers.Where(n => n.Number == message.TenantNumber)
                .Select(n => n.MessagingProfileId).FirstOrDefaultAsync(cancellationToken);
            message.Status = MessageStatus.Sending;
            message.SendAttempts++;
            message.StatusAtUtc = Now;
            await db.SaveChangesAsync(cancellationToken);

            var result = await SendAsync(message, profile, cancellationToken);
            switch (result)
            {
                case SendResult.Accepted accepted:
                    message.CarrierMessageId = accepted.CarrierMessageId;
                    message.Status = MessageStatus.Queued;
                    message.StatusAtUtc = Now;
                    if (accepted.Parts is > 0)
                    {
                        message.Segments = accepted.Parts.Value; // the carrier's count is the billing truth
                    }

                    await wallet.ChargeAsync(message.TenantId, WalletEntryKind.SmsSentCharge, message.Segments * wallet.Rates.SmsSegmentMicros, message.Segments,
                        $"segments:{message.Id}", message.Id, $"SMS sent, {message.Segments} segment(s)", cancellationToken);

                    LogSent(logger, message.Id, carrier.Name);
                    break;
                case SendResult.OptedOut optedOut:
                    phone?.OptedOutAtUtc ??= Now;
                    Fail(message, optedOut.Code, optedOut.Detail);
                    break;
                case SendResult.Rejected rejected:
                    Fail(message, rejected.Code, rejected.Detail);
                    break;
                default:
                    var (code, detail, retryAfter) = result switch
                    {
                        SendResult.RateLimited r => (r.Code, r.Detail, r.RetryAfter),
                        SendResult.Transient t => (t.Code, t.Detail, t.RetryAfter),
                        _ => ("unknown", "The carrier gave no usable answer.", (TimeSpan?)null),
                    };
                    if (message.SendAttempts >= MaxSendAttempts)
                    {
                        Fail(message, code, $"The carrier was unavailable after {message.SendAttempts} attempts: {detail}");
                        break;
                    }

                    // The wait belongs to the durable queue, not to this worker; campaigns hold back new texts
                    // while any of the tenant's sends waits like this.
                    await db.SaveChangesAsync(cancellationToken);
                    var delay = retryAfter ?? WorkQueueWorker.Backoff(message.SendAttempts);
                    return WorkResult.HoldBackUntil(Now + delay, $"Carrier busy ({code}): {detail}");
            }

            if (message.Status == MessageStatus.Failed)
            {
                await RefundIfChargedAsync(message, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<SendResult> SendAsync(Message message, string? profile, CancellationToken cancellationToken)
    {
        using var span = ParleyTelemetry.Source.StartActivity("carrier send", System.Diagnostics.ActivityKind.Client);
        span?.SetTag("parley.carrier", carrier.Name);
        span?.SetTag("parley.message.id", message.Id);
        var result = await carrier.SendAsync(
            new OutboundSms(message.TenantNumber, message.ContactNumber, message.Text, profile),
            IdempotencyKey(message),
            cancellationToken);
        var (outcome, errorCode) = result switch
        {
            SendResult.Accepted => ("Accepted", (string?)null),
            SendResult.OptedOut o => ("OptedOut", o.Code),
            SendResult.Rejected r => ("Rejected", r.Code),
            SendResult.RateLimited l => ("RateLimited", l.Code),
            SendResult.Transient t => ("Transient", t.Code),
            _ => ("Unknown", null),
        };
        span?.SetTag("parley.sms.outcome", outcome);
        span?.SetTag("parley.carrier.error_code", errorCode);
        metrics.Sent(carrier.Name, outcome, errorCode);
        return result;
    }

    /// <summary>Nothing is charged for a text that was never sent.</summary>
    private Task RefundIfChargedAsync(Message message, CancellationToken cancellationToken) =>
        message.ChargeKey is { } key
            ? wallet.RefundAsync(message.TenantId, key, "AI reply not sent", cancellationToken)
            : Task.CompletedTask;

    private void Fail(Message message, string? code, string error)
    {
        message.Status = MessageStatus.Failed;
        message.ErrorCode = code;
        message.Error = error;
        message.StatusAtUtc = Now;
        LogFailed(logger, message.Id, code);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} accepted by {Carrier}")]
    private static partial void LogSent(ILogger logger, long messageId, string carrier);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} failed ({ErrorCode})")]
    private static partial void LogFailed(ILogger logger, long messageId, string? errorCode);
}
