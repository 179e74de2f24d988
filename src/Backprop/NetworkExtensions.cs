using System;
using System.Numerics;
using Backprop.CompilerServices;
using Backprop.Parallelism;

namespace Backprop;

/// <summary>What any <see cref="INetwork{T}"/> can do beyond its own members.</summary>
public static class NetworkExtensions
{
    /// <summary>
    /// <see cref="INetwork{T}.ForwardBatch"/> on several threads: the rows are cut into contiguous chunks, each
    /// starting at a multiple of 16 rows, and the calling thread and up to
    /// <paramref name="maxDegreeOfParallelism"/> − 1 thread-pool threads take chunks until none is left, each calling
    /// the network's (thread-safe) <see cref="INetwork{T}.ForwardBatch"/> on its chunk. Rows are independent, so the
    /// outputs are those of one <see cref="INetwork{T}.ForwardBatch"/> call over all the rows, bit for bit.
    /// Allocation-free (after a thread's first call).
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">The network.</param>
    /// <param name="inputs">m rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated; m may be 0.</param>
    /// <param name="outputs">Receives m rows of <see cref="INetwork{T}.OutputCount"/> outputs.</param>
    /// <param name="maxDegreeOfParallelism">
    /// The most threads to use, the calling one included: 1 for one plain call on the calling thread, −1 for
    /// <see cref="Environment.ProcessorCount"/>. Fewer are used when there are fewer chunks (of at least 16 rows) than that.
    /// </param>
    /// <remarks>
    /// Handing a chunk to another thread costs microseconds, so this pays off for thousands of rows, or hundreds of a
    /// network with many weights; 784-128-10 over 4,096 rows is the benchmark (ParallelBenchmarks). The calling thread
    /// waits until every chunk is done; an exception from any chunk is rethrown on it once all threads have stopped.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> is not whole rows, or
    /// <paramref name="outputs"/> does not hold as many rows.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public static void ForwardBatch<T>(this INetwork<T> network, ReadOnlySpan<T> inputs, Span<T> outputs, int maxDegreeOfParallelism)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ParallelWork.CheckDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int rows = NetworkGuard.Rows(inputs.Length, network.InputCount, outputs.Length, network.OutputCount, nameof(outputs));
        int threads = ParallelWork.Threads(maxDegreeOfParallelism);
        if (threads == 1 || rows <= ParallelForward<T>.RowAlignment)
        {
            network.ForwardBatch(inputs, outputs);
            return;
        }

        ParallelForward<T>.Run(network, inputs, outputs, rows, threads);
    }
}
