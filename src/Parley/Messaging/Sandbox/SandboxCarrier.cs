using Parley.Data;
using Parley.Work;

namespace Parley.Messaging.Sandbox;

/// <summary>
/// The built-in carrier for trying Parley with no account: accepts every send and reports it sent, then
/// delivered, through the same delivery-report path a real carrier's webhooks take. The carrier id is
/// derived from the idempotency key, so a retried send is recognised as the same message.
/// </summary>
public sealed class SandboxCarrier(IServiceScopeFactory scopes, TimeProvider time) : ICarrier
{
    public string Name => "Sandbox";

    public async Task<SendResult> SendAsync(OutboundSms sms, string idempotencyKey, CancellationToken cancellationToken)
    {
        var id = $"sandbox-{idempotencyKey}";
        var parts = SmsSegments.Measure(sms.Text).Segments;
        await using var scope = scopes.CreateAsyncScope();
        var work = scope.ServiceProvider.GetRequiredService<WorkQueue>();
        var now = time.GetUtcNow().UtcDateTime;
        work.Enqueue(DeliveryStatusUpdater.Work, new DeliveryReport(id, MessageStatus.Sent, now, Parts: parts), null, now);
        work.Enqueue(DeliveryStatusUpdater.Work, new DeliveryReport(id, MessageStatus.Delivered, now, Parts: parts), null, now + TimeSpan.FromMilliseconds(200));
        await scope.ServiceProvider.GetRequiredService<ParleyDb>().SaveChangesAsync(cancellationToken);
        return new SendResult.Accepted(id, parts);
    }
}
