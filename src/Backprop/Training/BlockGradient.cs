using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Threading;
using Backprop.CompilerServices;
using Backprop.Parallelism;

namespace Backprop.Training;

/// <summary>
/// The mean gradient and summed loss of one mini-batch, computed in blocks of rows (<see cref="BlockRowsFor"/>) on one
/// or more threads with the same bits whatever their number.
/// </summary>
/// <remarks>
/// <para>
/// The batch's m rows, in the order given, are cut into blocks of <see cref="BlockRowsFor"/>(m) rows (the last holds what is
/// left). Each block's rows are made contiguous (gathered through the row indices into a buffer of the block's own,
/// or used in place when the indices are consecutive) and one <see cref="INetwork{T}.BackwardBatch"/> call computes
/// the block's gradient gₖ into a zeroed buffer of its own — the first block's straight into <see cref="Gradient"/>.
/// The other blocks' buffers are added into it one after the other in block order and the sum is scaled by 1/m (when
/// m &gt; 1): Gradient = (((g₀ + g₁) + g₂) + …)·(1/m), element by element. The blocks' losses are added in block
/// order, in double.
/// </para>
/// <para>
/// Every one of those numbers depends on the batch alone. Threads only decide who computes which block, and who adds
/// up which range of elements (each element's additions stay in block order), so one, two or three threads give the
/// same bits. One <see cref="ParallelWork.Run"/> per wave: its first items are the wave's blocks, the rest ranges of
/// <see cref="ReductionRange"/> elements to add up, each waiting until every block is done. A wave holds
/// <see cref="BlocksPerThreadPerWave"/> blocks per thread, or what is left of the batch; the block buffers are
/// allocated on first need and reused, so a steady state of batches allocates nothing.
/// </para>
/// </remarks>
internal sealed unsafe class BlockGradient<T> : ParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rows of a gradient block in a batch of fewer than twice <see cref="LargeBlockRows"/> rows.</summary>
    public const int SmallBlockRows = 16;

    /// <summary>The rows of a gradient block in a batch of at least twice as many rows.</summary>
    public const int LargeBlockRows = 32;

    /// <summary>
    /// The rows of one gradient block of a batch of <paramref name="batchRows"/>: the unit of work, and of the fixed
    /// summation order, so it depends on the batch alone. Blocks of 16 rows let a batch of 32 run on two threads;
    /// from 64 rows on, blocks of 32 rows reuse each weight twice as often and leave half the block gradients to add
    /// up. Measured on 784-128-10 (one trainer step of 64 shuffled rows, the fastest of 1,200 spread over the run,
    /// this 2-core host): with 16-row blocks 482–510 µs on one thread and 289–311 µs on two, with 32-row blocks
    /// 419–429 µs and 252–272 µs; one BackwardBatch of 16 rows takes 88 µs, of 32 rows 160 µs.
    /// </summary>
    public static int BlockRowsFor(int batchRows) => batchRows >= 2 * LargeBlockRows ? LargeBlockRows : SmallBlockRows;

    /// <summary>A wave: this many blocks per thread are computed before they are added up.</summary>
    private const int BlocksPerThreadPerWave = 2;

    /// <summary>
    /// The elements of the gradient one work item adds up: 16 KB of float, so a range stays in L1 across the blocks.
    /// </summary>
    private const int ReductionRange = 4096;

    private readonly INetwork<T> _network;
    private readonly int _inputCount;
    private readonly int _outputCount;
    private readonly int _parameterCount;
    private readonly AlignedBuffer<T> _gradient;

    /// <summary>
    /// Buffer s holds the gradient of the wave's block s (s + 1 in the first wave, whose block 0 is the gradient's own).
    /// </summary>
    private AlignedBuffer<T>[] _blockGradients = [];
    private T[][] _blockInputs = [];
    private T[][] _blockTargets = [];
    private double[] _blockLosses = [];

    // The wave being computed: set by the calling thread before Run, only read by the items.
    private T* _inputs;
    private T* _targets;
    private int* _rowOrder;
    private int _batchRows;
    private int _blockRows;
    private int _firstBlock;
    private int _waveBlocks;
    private int _blocksDone;
    private int _blocksToAdd;
    private bool _scaleWhenAdding;
    private T _scale;

    public BlockGradient(INetwork<T> network)
    {
        _network = network;
        _inputCount = network.InputCount;
        _outputCount = network.OutputCount;
        _parameterCount = network.ParameterCount;
        _gradient = new AlignedBuffer<T>(_parameterCount);
    }

    /// <summary>The batch's mean gradient, (1/m)·Σᵣ ∂Lᵣ/∂θ, after a call to <c>Compute</c>.</summary>
    public Span<T> Gradient => _gradient.Span;

    /// <summary>Computes the mean gradient of the <paramref name="rows"/> contiguous rows into <see cref="Gradient"/>.</summary>
    /// <returns>Σᵣ Lᵣ, the sum of the rows' losses.</returns>
    public double Compute(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, int threads)
    {
        fixed (T* x = inputs)
        fixed (T* y = targets)
        {
            return Compute(x, y, null, rows, threads);
        }
    }

    /// <summary>
    /// Computes the mean gradient of the rows <paramref name="batch"/> names (indices into the rows of
    /// <paramref name="inputs"/> and <paramref name="targets"/>, checked by the caller) into <see cref="Gradient"/>.
    /// </summary>
    /// <returns>Σᵣ Lᵣ, the sum of the rows' losses.</returns>
    public double Compute(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> batch, int threads)
    {
        fixed (T* x = inputs)
        fixed (T* y = targets)
        fixed (int* order = batch)
        {
            return Compute(x, y, order, batch.Length, threads);
        }
    }

    private double Compute(T* inputs, T* targets, int* rowOrder, int rows, int threads)
    {
        int blockRows = BlockRowsFor(rows);
        int blocks = (rows + blockRows - 1) / blockRows;
        int waveBlocks = BlocksPerThreadPerWave * threads;
        int ranges = (_parameterCount + ReductionRange - 1) / ReductionRange;
        _inputs = inputs;
        _targets = targets;
        _rowOrder = rowOrder;
        _batchRows = rows;
        _blockRows = blockRows;
        _scale = T.One / T.CreateTruncating(rows);
        double lossSum = 0;
        try
        {
            for (int first = 0; first < blocks;)
            {
                // The first block goes straight into the gradient, so the first wave needs one buffer fewer.
                int offset = first == 0 ? 1 : 0;
                int count = Math.Min(blocks - first, waveBlocks);
                Reserve(count, count - offset, gather: rowOrder is not null);
                _firstBlock = first;
                _waveBlocks = count;
                _blocksDone = 0;
                _blocksToAdd = count - offset;
                _scaleWhenAdding = first + count == blocks && rows > 1;

                // The wave's blocks, then (in the same run, each range once every block is done) their sum.
                Run(count + (_blocksToAdd > 0 ? ranges : 0), threads);
                for (int i = 0; i < count; i++)
                {
                    lossSum += _blockLosses[i];
                }

                first += count;
            }
        }
        finally
        {
            _inputs = null;
            _targets = null;
            _rowOrder = null;
        }

        if (blocks == 1 && rows > 1)
        {
            // One block, nothing to add: the mean on this thread.
            TensorPrimitives.Multiply(_gradient.Span, _scale, _gradient.Span);
        }

        return lossSum;
    }

    protected override void Process(int index)
    {
        if (index < _waveBlocks)
        {
            ComputeBlock(index);
        }
        else
        {
            AddBlocks(index - _waveBlocks);
        }
    }

    /// <summary>The gradient of the wave's block <paramref name="position"/>, into its own buffer.</summary>
    private void ComputeBlock(int position)
    {
        int block = _firstBlock + position;
        int start = block * _blockRows;
        int rows = Math.Min(_blockRows, _batchRows - start);
        int inputCount = _inputCount;
        int outputCount = _outputCount;
        ReadOnlySpan<T> inputs;
        ReadOnlySpan<T> targets;
        int* order = _rowOrder is null ? null : _rowOrder + start;
        if (order is null || AreConsecutive(order, rows))
        {
            nint row = order is null ? start : order[0];
            inputs = new ReadOnlySpan<T>(_inputs + (row * inputCount), rows * inputCount);
            targets = new ReadOnlySpan<T>(_targets + (row * outputCount), rows * outputCount);
        }
        else
        {
            Span<T> gatheredInputs = _blockInputs[position].AsSpan(0, rows * inputCount);
            Span<T> gatheredTargets = _blockTargets[position].AsSpan(0, rows * outputCount);
            for (int r = 0; r < rows; r++)
            {
                nint row = order[r];
                new ReadOnlySpan<T>(_inputs + (row * inputCount), inputCount)
                    .CopyTo(gatheredInputs.Slice(r * inputCount, inputCount));
                new ReadOnlySpan<T>(_targets + (row * outputCount), outputCount)
                    .CopyTo(gatheredTargets.Slice(r * outputCount, outputCount));
            }

            inputs = gatheredInputs;
            targets = gatheredTargets;
        }

        // Cleared here rather than after the sum: by the thread about to write it, so it is in that core's cache.
        Span<T> gradient = block == 0 ? _gradient.Span : _blockGradients[position - (_firstBlock == 0 ? 1 : 0)].Span;
        gradient.Clear();
        _blockLosses[position] = double.CreateTruncating(_network.BackwardBatch(inputs, targets, gradient));
        Interlocked.Increment(ref _blocksDone);
    }

    /// <summary>
    /// Adds the wave's block buffers into the gradient over one range of elements, in block order, and after the
    /// batch's last block scales the range by 1/m.
    /// </summary>
    private void AddBlocks(int range)
    {
        if (Volatile.Read(ref _blocksDone) < _waveBlocks)
        {
            // Every block has been claimed (items are claimed in order); wait for the ones still being computed.
            SpinWait spin = default;
            while (Volatile.Read(ref _blocksDone) < _waveBlocks)
            {
                if (Failed)
                {
                    return;
                }

                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        int start = range * ReductionRange;
        int length = Math.Min(ReductionRange, _parameterCount - start);
        Span<T> sum = _gradient.Span.Slice(start, length);
        for (int b = 0; b < _blocksToAdd; b++)
        {
            TensorPrimitives.Add(sum, _blockGradients[b].Span.Slice(start, length), sum);
        }

        if (_scaleWhenAdding)
        {
            TensorPrimitives.Multiply(sum, _scale, sum);
        }
    }

    private static bool AreConsecutive(int* rows, int count)
    {
        int first = rows[0];
        for (int r = 1; r < count; r++)
        {
            if (rows[r] != first + r)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Makes sure a wave of <paramref name="blocks"/> blocks has its buffers (on the calling thread, before Run).
    /// </summary>
    private void Reserve(int blocks, int blockGradients, bool gather)
    {
        if (_blockLosses.Length < blocks)
        {
            Array.Resize(ref _blockLosses, blocks);
        }

        if (_blockGradients.Length < blockGradients)
        {
            int had = _blockGradients.Length;
            Array.Resize(ref _blockGradients, blockGradients);
            for (int i = had; i < blockGradients; i++)
            {
                _blockGradients[i] = new AlignedBuffer<T>(_parameterCount);
            }
        }

        if (gather && _blockInputs.Length < blocks)
        {
            int had = _blockInputs.Length;
            Array.Resize(ref _blockInputs, blocks);
            Array.Resize(ref _blockTargets, blocks);
            for (int i = had; i < blocks; i++)
            {
                _blockInputs[i] = new T[LargeBlockRows * _inputCount];
                _blockTargets[i] = new T[LargeBlockRows * _outputCount];
            }
        }
    }
}
