namespace Parley.Work;

/// <summary>Wakes idle workers when new work is saved. Losing a wake-up is harmless: workers also poll.</summary>
public sealed class WorkSignal : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, int.MaxValue);

    public void Wake()
    {
        if (signal.CurrentCount < 64)
        {
            signal.Release();
        }
    }

    public void Dispose() => signal.Dispose();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(timeout, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
