using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Backprop.Parallelism;

/// <summary>
/// Runs numbered work items 0 … count − 1 on the calling thread and up to degree − 1 thread-pool threads,
/// without allocating: the object itself is the thread-pool work item, queued once per helper thread, and a
/// subclass keeps whatever the items read in its own fields (spans pinned by the caller become pointers).
/// </summary>
/// <remarks>
/// <para>
/// Items are claimed one at a time from a shared counter (<see cref="Interlocked.Increment(ref int)"/>), so a
/// thread that is slowed down, on a machine shared with other work, takes fewer items rather than holding the
/// others up. The calling thread claims items too, and <see cref="Run"/> returns only when every helper it queued
/// has finished — a helper that starts late finds nothing left to claim and leaves — so no helper ever outlives the
/// call or sees the next call's fields. Which thread runs which item is left to chance; a subclass must make each
/// item's result depend on the item alone (its own output buffer, nothing shared but what is read).
/// </para>
/// <para>
/// An exception thrown by an item stops further claims; the first one is rethrown on the calling thread with its
/// original stack (<see cref="ExceptionDispatchInfo"/>), once every helper has finished.
/// </para>
/// <para>Not thread-safe: one <see cref="Run"/> at a time per instance.</para>
/// </remarks>
internal abstract class ParallelWork : IThreadPoolWorkItem
{
    /// <summary>What the claim counter is set to when an item fails, so that nothing more is claimed.</summary>
    private const int Stopped = int.MaxValue / 2;

    private readonly ManualResetEventSlim _helpersFinished = new(initialState: false);
    private int _count;
    private int _next;
    private int _helpersRunning;
    private ExceptionDispatchInfo? _failure;

    /// <summary>
    /// The number of threads <paramref name="maxDegreeOfParallelism"/> stands for: itself when positive,
    /// <see cref="Environment.ProcessorCount"/> for −1.
    /// </summary>
    public static int Threads(int maxDegreeOfParallelism)
        => maxDegreeOfParallelism == -1 ? Environment.ProcessorCount : maxDegreeOfParallelism;

    /// <summary>Throws unless <paramref name="value"/> is −1 or at least 1, as <c>ParallelOptions</c> does.</summary>
    public static void CheckDegree(int value, string parameterName)
    {
        if (value is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                value,
                "The maximum degree of parallelism must be at least 1, or -1 for one thread per processor.");
        }
    }

    /// <summary>Processes items 0 … <paramref name="count"/> − 1 and returns when all are done.</summary>
    /// <param name="count">The number of items; nothing happens for 0.</param>
    /// <param name="threads">At most this many threads, the calling one included (at least 1).</param>
    /// <exception cref="Exception">The first exception an item threw.</exception>
    public void Run(int count, int threads)
    {
        int helpers = Math.Min(threads, count) - 1;
        _count = count;
        _next = 0;
        if (helpers > 0)
        {
            _helpersRunning = helpers;
            _helpersFinished.Reset();
            for (int i = 0; i < helpers; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        ProcessItems();
        if (helpers > 0)
        {
            _helpersFinished.Wait();
        }

        ExceptionDispatchInfo? failure = _failure;
        if (failure is not null)
        {
            _failure = null;
            failure.Throw();
        }
    }

    /// <summary>Processes item <paramref name="index"/>; called on any of the threads, once per item.</summary>
    protected abstract void Process(int index);

    /// <summary>
    /// Whether an item of this run has thrown: an item that waits for others (which then may never finish) must
    /// give up when it turns true.
    /// </summary>
    protected bool Failed => Volatile.Read(ref _failure) is not null;

    void IThreadPoolWorkItem.Execute()
    {
        ProcessItems();
        if (Interlocked.Decrement(ref _helpersRunning) == 0)
        {
            _helpersFinished.Set();
        }
    }

    private void ProcessItems()
    {
        try
        {
            int index;
            while ((index = Interlocked.Increment(ref _next) - 1) < _count)
            {
                Process(index);
            }
        }
        catch (Exception e)
        {
            Interlocked.Exchange(ref _next, Stopped);
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        }
    }
}
