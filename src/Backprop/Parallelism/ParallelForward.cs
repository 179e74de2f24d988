using System;
using System.Numerics;

namespace Backprop.Parallelism;

/// <summary>
/// <see cref="INetwork{T}.ForwardBatch"/> over chunks of rows on several threads: the work item behind
/// <see cref="NetworkExtensions.ForwardBatch{T}(INetwork{T}, ReadOnlySpan{T}, Span{T}, int)"/>. One instance per
/// calling thread, reused, so a call allocates nothing once its thread has made one.
/// </summary>
internal sealed unsafe class ParallelForward<T> : ParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Chunks start at multiples of this many rows, so a kernel that tiles rows tiles them as one call would.</summary>
    public const int RowAlignment = 16;

    /// <summary>Chunks per thread: enough that a thread slowed down by other work takes fewer rather than holding the rest up.</summary>
    private const int ChunksPerThread = 4;

    [ThreadStatic]
    private static ParallelForward<T>? t_idle;

    private INetwork<T>? _network;
    private T* _inputs;
    private T* _outputs;
    private int _rows;
    private int _chunkRows;
    private int _inputCount;
    private int _outputCount;

    /// <summary>Computes the <paramref name="rows"/> rows (checked by the caller) on up to <paramref name="threads"/> threads.</summary>
    public static void Run(INetwork<T> network, ReadOnlySpan<T> inputs, Span<T> outputs, int rows, int threads)
    {
        // Taken from the thread while in use, so that a network whose ForwardBatch calls this again (on the same
        // thread, as the caller's share of the work) gets an instance of its own.
        ParallelForward<T> work = t_idle ?? new ParallelForward<T>();
        t_idle = null;
        int chunkRows = ChunkRows(rows, threads);
        fixed (T* x = inputs)
        fixed (T* y = outputs)
        {
            work._network = network;
            work._inputs = x;
            work._outputs = y;
            work._rows = rows;
            work._chunkRows = chunkRows;
            work._inputCount = network.InputCount;
            work._outputCount = network.OutputCount;
            try
            {
                work.Run((rows + chunkRows - 1) / chunkRows, threads);
            }
            finally
            {
                work._network = null;
                work._inputs = null;
                work._outputs = null;
                t_idle = work;
            }
        }
    }

    /// <summary>The rows of one chunk: about rows / (4 × threads), rounded up to a multiple of <see cref="RowAlignment"/>.</summary>
    internal static int ChunkRows(int rows, int threads)
    {
        long chunks = (long)threads * ChunksPerThread;
        long perChunk = (rows + chunks - 1) / chunks;
        return (int)Math.Max(RowAlignment, (perChunk + RowAlignment - 1) / RowAlignment * RowAlignment);
    }

    protected override void Process(int index)
    {
        int first = index * _chunkRows;
        int rows = Math.Min(_chunkRows, _rows - first);
        _network!.ForwardBatch(
            new ReadOnlySpan<T>(_inputs + ((nint)first * _inputCount), rows * _inputCount),
            new Span<T>(_outputs + ((nint)first * _outputCount), rows * _outputCount));
    }
}
