using System;
using System.Buffers;
using System.Numerics;

namespace Backprop.Internal;

/// <summary>
/// The outputs of many rows, computed a chunk of rows at a time with the parallel
/// <see cref="NetworkExtensions.ForwardBatch{T}(INetwork{T}, ReadOnlySpan{T}, Span{T}, int)"/> into one pooled buffer,
/// for the predictions and metrics that need a row's outputs only long enough to read them. A row's outputs do not
/// depend on the other rows of a <see cref="INetwork{T}.ForwardBatch"/> call, so they are those of one call over all
/// the rows, bit for bit, whatever the chunking and the number of threads.
/// </summary>
/// <remarks>
/// Chunks are 4,096 rows (enough for the threads to pay off, as in ParallelBenchmarks), fewer for wide outputs so that
/// the buffer stays at most 64K values, and always a multiple of 16 rows. The buffer comes from
/// <see cref="ArrayPool{T}.Shared"/>: the first call on a thread for a size may allocate it, later ones reuse it.
/// Call <see cref="Dispose"/> in a <c>finally</c> (not <c>using</c>, whose variable is read-only, so that
/// <see cref="MoveNext"/> would advance a copy).
/// </remarks>
internal ref struct OutputChunks<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int MaxChunkRows = 4096;
    private const int MaxChunkValues = 1 << 16;

    private readonly INetwork<T> _network;
    private readonly ReadOnlySpan<T> _inputs;
    private readonly int _rows;
    private readonly int _chunkRows;
    private readonly int _maxDegreeOfParallelism;
    private T[]? _buffer;

    /// <summary>Prepares to compute the outputs of <paramref name="rows"/> rows (checked by the caller).</summary>
    public OutputChunks(INetwork<T> network, ReadOnlySpan<T> inputs, int rows, int maxDegreeOfParallelism)
    {
        _network = network;
        _inputs = inputs;
        _rows = rows;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        int chunkRows = Math.Clamp(MaxChunkValues / Math.Max(network.OutputCount, 1) / 16 * 16, 16, MaxChunkRows);
        _chunkRows = Math.Min(chunkRows, rows);
        FirstRow = 0;
        RowCount = 0;
    }

    /// <summary>The first row of the current chunk.</summary>
    public int FirstRow { get; private set; }

    /// <summary>The number of rows in the current chunk.</summary>
    public int RowCount { get; private set; }

    /// <summary>The current chunk's outputs: <see cref="RowCount"/> rows of <see cref="INetwork{T}.OutputCount"/>.</summary>
    public readonly ReadOnlySpan<T> Outputs => _buffer.AsSpan(0, RowCount * _network.OutputCount);

    /// <summary>Computes the next chunk; false when every row has been.</summary>
    public bool MoveNext()
    {
        int first = FirstRow + RowCount;
        if (first >= _rows)
        {
            RowCount = 0;
            return false;
        }

        int outputCount = _network.OutputCount;
        _buffer ??= ArrayPool<T>.Shared.Rent(_chunkRows * outputCount);
        FirstRow = first;
        RowCount = Math.Min(_chunkRows, _rows - first);
        int inputCount = _network.InputCount;
        _network.ForwardBatch(
            _inputs.Slice(first * inputCount, RowCount * inputCount),
            _buffer.AsSpan(0, RowCount * outputCount),
            _maxDegreeOfParallelism);
        return true;
    }

    /// <summary>Gives the buffer back to the pool.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
        {
            ArrayPool<T>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}
