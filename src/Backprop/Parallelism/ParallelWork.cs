using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Backprop.Parallelism;

/// <summary>
/// Runs numbered work items 0 … count − 1 on the calling thread and up to threads − 1 thread-pool threads,
/// without allocating: the object itself is the thread-pool work item, queued once per helper thread, and a
/// subclass keeps whatever the items read in its own fields (spans pinned by the caller become pointers).
/// </summary>
/// <remarks>
/// <para>
/// Items are claimed one at a time from a shared counter (<see cref="Interlocked.Increment(ref int)"/>), so a
/// thread that is slowed down, on a machine shared with other work, takes fewer items rather than holding the
/// others up. The calling thread claims items too. When it finds none left it closes the run and waits only for the
/// helpers that joined and are still working; a helper that the thread pool starts after that, or starts for a later
/// run, finds the run closed (or takes a place in the later one) and touches nothing of the old one. So a busy thread
/// pool never holds the caller up beyond the items themselves, no helper outlives the work it joined, and at most
/// threads − 1 helpers ever work on one run. Which thread runs which item is left to chance; a subclass must make
/// each item's result depend on the item alone (its own output buffer, nothing shared but what is read).
/// </para>
/// <para>
/// An exception thrown by an item stops further claims; the first one is rethrown on the calling thread with its
/// original stack (<see cref="ExceptionDispatchInfo"/>), once every helper that joined has finished.
/// </para>
/// <para>Not thread-safe: one <see cref="Run"/> at a time per instance.</para>
/// </remarks>
internal abstract class ParallelWork : IThreadPoolWorkItem
{
    /// <summary>What the claim counter is set to when an item fails, so that nothing more is claimed.</summary>
    private const int Stopped = int.MaxValue / 2;

    private readonly object _gate = new();
    private readonly ManualResetEventSlim _helpersFinished = new(initialState: false);
    private int _count;
    private int _next;
    private ExceptionDispatchInfo? _failure;

    // Guarded by _gate.
    private bool _open;
    private int _places;
    private int _working;
    private int _queued;

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
            int toQueue;
            lock (_gate)
            {
                _helpersFinished.Reset();
                _places = helpers;
                _open = true;

                // Helpers queued for an earlier run that have not started yet will take places in this one.
                toQueue = Math.Max(0, helpers - _queued);
                _queued += toQueue;
            }

            for (int i = 0; i < toQueue; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }

        ProcessItems();
        if (helpers > 0)
        {
            bool wait;
            lock (_gate)
            {
                _open = false;
                _places = 0;
                wait = _working > 0;
            }

            if (wait)
            {
                _helpersFinished.Wait();
            }
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
        lock (_gate)
        {
            _queued--;
            if (!_open || _places == 0)
            {
                return;
            }

            _places--;
            _working++;
        }

        ProcessItems();
        lock (_gate)
        {
            if (--_working == 0 && !_open)
            {
                _helpersFinished.Set();
            }
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
