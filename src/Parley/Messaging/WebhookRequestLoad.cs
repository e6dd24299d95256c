using Parley.Work;

namespace Parley.Messaging;

/// <summary>
/// Carrier webhook requests being handled at once, from the body's first byte to the answer. From
/// <see cref="BusyAt"/> on, the queue's workers make room (<see cref="ForegroundYield"/>). Counted from the request,
/// not the batch: when the CPU is what runs short, webhooks wait in the request pipeline before they ever reach a
/// batch.
/// </summary>
public sealed class WebhookRequestLoad : IForegroundLoad
{
    public const int BusyAt = 8;

    private int handling;

    public bool Busy => Volatile.Read(ref handling) >= BusyAt;

    /// <summary>Counts one webhook request as being handled until the returned handle is disposed.</summary>
    public Receipt Receive()
    {
        Interlocked.Increment(ref handling);
        return new Receipt(this);
    }

    public readonly struct Receipt(WebhookRequestLoad load) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref load.handling);
    }
}
