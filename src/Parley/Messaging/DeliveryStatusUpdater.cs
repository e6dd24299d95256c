using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Agent;
using Parley.Billing;
using Parley.Conversations;
using Parley.Data;
using Parley.Work;

namespace Parley.Messaging;

/// <summary>Applies a carrier's delivery report. Reports arrive late, twice and out of order: a status only
/// moves forward, and a delivered or failed message stays so.</summary>
public sealed partial class DeliveryStatusUpdater(
    ParleyDb db,
    Wallet wallet,
    ActivityLog activity,
    IOptions<AgentOptions> agentOptions,
    TimeProvider time,
    ILogger<DeliveryStatusUpdater> logger) : IWorkHandler
{
    /// <summary>Reports for one carrier message apply one at a time, in the order they arrived.</summary>
    public static readonly WorkKind<DeliveryReport> Work = new("delivery.report", (r, _) => $"carrier-message:{r.CarrierMessageId}");

    /// <summary>A report can beat the send response that tells us the carrier's id; wait for it this long.</summary>
    private const int AttemptsToFindMessage = 6;

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var report = Work.Read(item);
        var message = await db.Messages.IgnoreQueryFilters()
            .FirstOrDefaultAsync(m => m.CarrierMessageId == report.CarrierMessageId, cancellationToken);
        if (message is null)
        {
            if (item.Attempts < AttemptsToFindMessage)
            {
                return WorkResult.RetryAt(time.GetUtcNow().UtcDateTime + TimeSpan.FromSeconds(item.Attempts), "No message with that carrier id yet.");
            }

            LogUnknown(logger, item.Id);
            return WorkResult.Done;
        }

        db.UseTenant(message.TenantId);
        if (IsFinal(message.Status) || report.Status <= message.Status)
        {
            return WorkResult.Done;
        }

        message.Status = report.Status;
        message.StatusAtUtc = report.OccurredAtUtc;
        if (report.Parts is > 0 && report.Parts.Value != message.Segments)
        {
            await ReconcileSegmentsAsync(message, report.Parts.Value, cancellationToken);
        }

        var numberReason = CarrierErrorCodes.NumberReason(report.ErrorCode);
        if (message.Author == MessageAuthor.Agent && numberReason is null)
        {
            await ScoreAgentAsync(message, report, cancellationToken);
        }

        if (report.Status == MessageStatus.Failed)
        {
            message.ErrorCode = report.ErrorCode;
            message.Error = report.ErrorDetail ?? "Delivery failed.";
            if (numberReason is not null)
            {
                await MarkUndeliverableAsync(message, report.ErrorCode!, numberReason, cancellationToken);
            }
        }

        return WorkResult.Done;
    }

    /// <summary>The number itself cannot take texts: campaigns skip it from now on, and a STOP block at the
    /// carrier is an opt-out like any other.</summary>
    private async Task MarkUndeliverableAsync(Message message, string code, string reason, CancellationToken cancellationToken)
    {
        var phone = await db.ContactPhones.FirstOrDefaultAsync(p => p.Number == message.ContactNumber, cancellationToken);
        if (phone is null)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (code == "40300")
        {
            phone.OptedOutAtUtc ??= now;
        }

        if (phone.UndeliverableAtUtc is null)
        {
            phone.UndeliverableAtUtc = now;
            phone.UndeliverableReason = $"{reason} ({code})";
            activity.Record(message.TenantId, message.ConversationId, ActivityKind.Skipped,
                $"The carrier cannot deliver to this number: {reason} ({code}). It is marked undeliverable; the agent is not paused.");
        }
    }

    /// <summary>The carrier's part count is the billing truth: a charge made on our estimate is corrected once.</summary>
    private async Task ReconcileSegmentsAsync(Message message, int parts, CancellationToken cancellationToken)
    {
        var charged = await db.WalletEntries.FirstOrDefaultAsync(e => e.Key == $"segments:{message.Id}", cancellationToken);
        var key = $"segments-reconcile:{message.Id}";
        if (charged is not null && !await db.WalletEntries.AnyAsync(e => e.Key == key, cancellationToken))
        {
            var difference = parts - charged.Quantity;
            await wallet.ChargeAsync(message.TenantId, WalletEntryKind.Adjustment, difference * wallet.Rates.SmsSegmentMicros, difference, key, message.Id,
                $"Carrier counted {parts} segment(s), estimated {charged.Quantity}", cancellationToken);
        }

        message.Segments = parts;
    }

    /// <summary>Delivery failures of an agent's texts that threaten the sender add up; past the threshold the
    /// agent pauses itself for a while. A failure that belongs to one number never counts, "unconfirmed" is not
    /// a failure, and a delivered text clears the score.</summary>
    private async Task ScoreAgentAsync(Message message, DeliveryReport report, CancellationToken cancellationToken)
    {
        if (report.Status is not (MessageStatus.Delivered or MessageStatus.Failed))
        {
            return;
        }

        var assistantId = await db.Conversations.Where(c => c.Id == message.ConversationId).Select(c => c.AssistantId).FirstOrDefaultAsync(cancellationToken);
        var assistant = assistantId is null ? null : await db.Assistants.FirstOrDefaultAsync(a => a.Id == assistantId, cancellationToken);
        if (assistant is null)
        {
            return;
        }

        if (report.Status == MessageStatus.Delivered)
        {
            assistant.DeliveryFailureScore = 0;
            return;
        }

        var options = agentOptions.Value;
        assistant.DeliveryFailureScore += CarrierErrorCodes.IsSenderDistrust(report.ErrorCode) ? options.PermanentFailureWeight : 1;
        if (assistant.DeliveryFailureScore >= options.FailureThreshold)
        {
            assistant.AutoPausedUntilUtc = time.GetUtcNow().UtcDateTime + options.AutoPauseDuration;
            assistant.DeliveryFailureScore = 0;
            activity.Record(message.TenantId, message.ConversationId, ActivityKind.Paused,
                $"Agent '{assistant.Name}' paused itself after repeated delivery failures; it resumes at {assistant.AutoPausedUntilUtc:yyyy-MM-dd HH:mm} UTC.");
        }
    }

    private static bool IsFinal(MessageStatus status) => status is MessageStatus.Delivered or MessageStatus.Failed;

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery report {WorkItemId} names no message Parley sent; dropped")]
    private static partial void LogUnknown(ILogger logger, long workItemId);
}
