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

            // A writer going ahead takes the gate on the thread that releases it: queued on a busy thread pool, its
            // continuation would wait behind every request while the gate it was handed sat idle. Only the batcher
            // goes ahead, one commit at a time, so such hand-offs never chain.
            turn = new TaskCompletionSource(ahead ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously);
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
        while (true)
        {
            TaskCompletionSource? next;
            lock (sync)
            {
                if (!urgent.TryDequeue(out next) && !queued.TryDequeue(out next))
                {
                    held = false;
                    return;
                }
            }

            // Outside the lock: a writer going ahead runs from here. The gate stays held meanwhile: handed over.
            if (next.TrySetResult())
            {
                return;
            }
        }
    }
}
