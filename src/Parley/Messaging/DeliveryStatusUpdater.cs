using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Work;

namespace Parley.Messaging;

/// <summary>Applies a carrier's delivery report. Reports arrive late, twice and out of order: a status only
/// moves forward, and a delivered or failed message stays so.</summary>
public sealed partial class DeliveryStatusUpdater(ParleyDb db, TimeProvider time, ILogger<DeliveryStatusUpdater> logger) : IWorkHandler
{
    public const string Kind = "delivery.report";

    /// <summary>A report can beat the send response that tells us the carrier's id; wait for it this long.</summary>
    private const int AttemptsToFindMessage = 6;

    private static readonly HashSet<string> OptOutCodes = ["40300"];

    public async Task<WorkResult> HandleAsync(WorkItem item, CancellationToken cancellationToken)
    {
        var report = WorkQueue.Read<DeliveryReport>(item);
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
        if (report.Parts is > 0)
        {
            message.Segments = report.Parts.Value;
        }

        if (report.Status == MessageStatus.Failed)
        {
            message.ErrorCode = report.ErrorCode;
            message.Error = report.ErrorDetail ?? "Delivery failed.";
            if (report.ErrorCode is { } code && OptOutCodes.Contains(code))
            {
                var phone = await db.ContactPhones.FirstOrDefaultAsync(p => p.Number == message.ContactNumber, cancellationToken);
                phone?.OptedOutAtUtc ??= time.GetUtcNow().UtcDateTime;
            }
        }

        return WorkResult.Done;
    }

    private static bool IsFinal(MessageStatus status) => status is MessageStatus.Delivered or MessageStatus.Failed;

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery report {WorkItemId} names no message Parley sent; dropped")]
    private static partial void LogUnknown(ILogger logger, long workItemId);
}
