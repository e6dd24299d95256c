namespace Parley.Data;

/// <summary>
/// SQLite allows one writer at a time; contending writers otherwise wait in SQLite's busy handler, which
/// sleeps in steps of up to 100 ms and is unfair, giving long tails to webhook answers under load. One
/// in-process async gate queues writers in order instead. (A SQLite database has one app instance, so a
/// process-wide gate covers every writer; PostgreSQL does not use it.) A writer someone outside is waiting on
/// (the webhook batcher: the carrier waits for its answer) may go ahead of the background writers queued.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly Lock sync = new();
    private readonly Queue<TaskCompletionSource> urgent = new();
    private readonly Queue<TaskCompletionSource> queued = new();
    private bool held;

    public Task<T> RunAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken) => RunAsync(write, ahead: false, cancellationToken);

    /// <param name="ahead">true: waits only for the writer holding the gate (and other such writers), not for the queue</param>
    public async Task<T> RunAsync<T>(Func<Task<T>> write, bool ahead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await EnterAsync(ahead, cancellationToken);
        try
        {
            return await write();
        }
        finally
        {
            Exit();
        }
    }

    private Task EnterAsync(bool ahead, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource turn;
        lock (sync)
        {
            if (!held)
            {
                held = true;
                return Task.CompletedTask;
            }

            turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (ahead ? urgent : queued).Enqueue(turn);
        }

        return cancellationToken.CanBeCanceled ? WaitAsync(turn, cancellationToken) : turn.Task;
    }

    /// <summary>A cancelled waiter stays in its queue; <see cref="Exit"/> skips it (its turn can no longer be set).</summary>
    private static async Task WaitAsync(TaskCompletionSource turn, CancellationToken cancellationToken)
    {
        await using (cancellationToken.Register(() => turn.TrySetCanceled(cancellationToken)))
        {
            await turn.Task;
        }
    }

    private void Exit()
    {
        lock (sync)
        {
            while (urgent.TryDequeue(out var next) || queued.TryDequeue(out next))
            {
                if (next.TrySetResult())
                {
                    return; // handed straight to the next writer: the gate stays held
                }
            }

            held = false;
        }
    }
}
