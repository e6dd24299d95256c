using System.Diagnostics;

namespace Parley.Work;

/// <summary>Work someone outside is waiting on right now, such as carrier webhooks waiting for the commit that
/// answers them (<see cref="Messaging.WebhookIngestBatcher"/>).</summary>
public interface IForegroundLoad
{
    /// <summary>True while so much is waiting that background work should make room.</summary>
    bool Busy { get; }
}

/// <summary>
/// Lets the queue's worker loops make room for foreground work. On a small machine the replies' work (model,
/// storage, sending) took the CPU that a flood of webhooks needed for its answers, and a webhook's answer is
/// what the carrier times and retries. While any foreground load is busy, every loop but the first pauses before
/// its next claim, for at most <see cref="MostPerClaim"/>. The first loop never pauses and takes the most urgent
/// item first (interactive work, the least busy tenant), so replies keep flowing through a flood; the other
/// loops catch up as it eases.
/// </summary>
public sealed class ForegroundYield
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(2);
    private readonly IForegroundLoad[] loads;
    private readonly TimeSpan mostPerClaim;

    public ForegroundYield(IEnumerable<IForegroundLoad> loads)
        : this(loads, TimeSpan.FromMilliseconds(100))
    {
    }

    internal ForegroundYield(IEnumerable<IForegroundLoad> loads, TimeSpan mostPerClaim)
    {
        this.loads = [.. loads];
        this.mostPerClaim = mostPerClaim;
    }

    /// <summary>The longest a loop pauses before one claim (100 ms): a flood that never eases slows the queue, never stops it.</summary>
    public TimeSpan MostPerClaim => mostPerClaim;

    public bool Busy => Array.Exists(loads, load => load.Busy);

    /// <summary>Waits while foreground work is busy, for at most <see cref="MostPerClaim"/>; a real-time pause
    /// (it only hands over the CPU, it schedules nothing).</summary>
    public async Task MakeRoomAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Busy && Stopwatch.GetElapsedTime(started) < mostPerClaim)
        {
            await Task.Delay(Step, cancellationToken);
        }
    }
}
