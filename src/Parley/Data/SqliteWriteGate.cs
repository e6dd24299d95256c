namespace Parley.Data;

/// <summary>
/// SQLite allows one writer at a time; contending writers otherwise wait in SQLite's busy handler, which
/// sleeps in steps of up to 100 ms and is unfair, giving long tails to webhook answers under load. One
/// in-process async gate queues writers in order instead. (A SQLite database has one app instance, so a
/// process-wide gate covers every writer; PostgreSQL does not use it.)
/// </summary>
public sealed class SqliteWriteGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public async Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();
}
