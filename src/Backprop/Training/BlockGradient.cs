using System;
using System.Numerics;
using System.Numerics.Tensors;
using Backprop.CompilerServices;
using Backprop.Parallelism;

namespace Backprop.Training;

/// <summary>
/// The summed gradient and loss of one mini-batch, computed in blocks of <see cref="BlockRows"/> rows on one or more
/// threads with the same bits whatever their number.
/// </summary>
/// <remarks>
/// <para>
/// The batch's rows, in the order given, are cut into blocks of <see cref="BlockRows"/> (the last holds what is
/// left). Each block's rows are made contiguous (gathered through the row indices into a buffer of the block's own,
/// or sliced straight from the data when the indices are consecutive) and one
/// <see cref="INetwork{T}.BackwardBatch"/> call computes the block's gradient into a zeroed buffer of its own — the
/// first block's straight into <see cref="Gradient"/>, which is cleared first. The other blocks' buffers are then
/// added into <see cref="Gradient"/> one after the other in block order, and each cleared for the next use:
/// Gradient = ((g₀ + g₁) + g₂) + … element by element. The losses are added in block order too, in double.
/// </para>
/// <para>
/// Every one of those numbers depends on the batch alone. Threads only decide who computes which block, and who adds
/// which range of elements (each element's additions stay in block order), so one, two or three threads give the
/// same bits. Blocks are computed a wave at a time — the blocks of the batch, or
/// <see cref="BlocksInFlightPerThread"/> per thread of them when there are more — then added; a wave's block
/// buffers are allocated on first need and reused, so a steady state of batches allocates nothing.
/// </para>
/// </remarks>
internal sealed unsafe class BlockGradient<T> : ParallelWork
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The rows of one gradient block: the unit of work, and of the fixed summation order.</summary>
    public const int BlockRows = 16;

    /// <summary>At most this many blocks per thread are computed before they are added up (beyond the first block).</summary>
    private const int BlocksInFlightPerThread = 4;

    /// <summary>The elements of the gradient one work item adds up: 16 KB of float, so a range stays in L1 across the blocks.</summary>
    private const int ReductionRange = 4096;

    private readonly INetwork<T> _network;
    private readonly int _inputCount;
    private readonly int _outputCount;
    private readonly int _parameterCount;
    private readonly AlignedBuffer<T> _gradient;

    /// <summary>Zeroed between waves: buffer s holds the gradient of the wave's block s (s + 1 in the first wave).</summary>
    private AlignedBuffer<T>[] _blockGradients = [];
    private T[][] _blockInputs = [];
    private T[][] _blockTargets = [];
    private double[] _blockLosses = [];

    // The wave being computed: set by the calling thread before Run, only read by the items.
    private T* _inputs;
    private T* _targets;
    private int* _rowOrder;
    private int _batchRows;
    private int _firstBlock;
    private int _blocksToAdd;
    private bool _adding;

    public BlockGradient(INetwork<T> network)
    {
        _network = network;
        _inputCount = network.InputCount;
        _outputCount = network.OutputCount;
        _parameterCount = network.ParameterCount;
        _gradient = new AlignedBuffer<T>(_parameterCount);
    }

    /// <summary>The batch's summed gradient, Σᵣ ∂Lᵣ/∂θ, after a call to <c>Compute</c>.</summary>
    public Span<T> Gradient => _gradient.Span;

    /// <summary>Computes the gradient of the <paramref name="rows"/> contiguous rows into <see cref="Gradient"/>.</summary>
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
    /// Computes the gradient of the rows <paramref name="batch"/> names (indices into the rows of
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
        int blocks = (rows + BlockRows - 1) / BlockRows;
        int inFlight = BlocksInFlightPerThread * threads;
        int ranges = (_parameterCount + ReductionRange - 1) / ReductionRange;
        _inputs = inputs;
        _targets = targets;
        _rowOrder = rowOrder;
        _batchRows = rows;
        _gradient.Span.Clear();
        double lossSum = 0;
        try
        {
            for (int first = 0; first < blocks;)
            {
                // The first block goes straight into the gradient, so the first wave has one more.
                int offset = first == 0 ? 1 : 0;
                int count = Math.Min(blocks - first, inFlight + offset);
                Reserve(count, count - offset, gather: rowOrder is not null);

                _firstBlock = first;
                _adding = false;
                Run(count, threads);
                for (int i = 0; i < count; i++)
                {
                    lossSum += _blockLosses[i];
                }

                _blocksToAdd = count - offset;
                if (_blocksToAdd > 0)
                {
                    _adding = true;
                    Run(ranges, threads);
                }

                first += count;
            }
        }
        catch
        {
            // A block that failed may have left its buffer half written; they must be zero for the next batch.
            foreach (AlignedBuffer<T> buffer in _blockGradients)
            {
                buffer.Span.Clear();
            }

            throw;
        }
        finally
        {
            _inputs = null;
            _targets = null;
            _rowOrder = null;
        }

        return lossSum;
    }

    protected override void Process(int index)
    {
        if (_adding)
        {
            AddBlocks(index);
        }
        else
        {
            ComputeBlock(index);
        }
    }

    /// <summary>The gradient of the wave's block <paramref name="position"/>, into its own buffer.</summary>
    private void ComputeBlock(int position)
    {
        int block = _firstBlock + position;
        int start = block * BlockRows;
        int rows = Math.Min(BlockRows, _batchRows - start);
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
                new ReadOnlySpan<T>(_inputs + (row * inputCount), inputCount).CopyTo(gatheredInputs.Slice(r * inputCount, inputCount));
                new ReadOnlySpan<T>(_targets + (row * outputCount), outputCount).CopyTo(gatheredTargets.Slice(r * outputCount, outputCount));
            }

            inputs = gatheredInputs;
            targets = gatheredTargets;
        }

        Span<T> gradient = block == 0 ? _gradient.Span : _blockGradients[position - (_firstBlock == 0 ? 1 : 0)].Span;
        _blockLosses[position] = double.CreateTruncating(_network.BackwardBatch(inputs, targets, gradient));
    }

    /// <summary>Adds the wave's block buffers into the gradient over one range of elements, in block order, and clears them.</summary>
    private void AddBlocks(int range)
    {
        int start = range * ReductionRange;
        int length = Math.Min(ReductionRange, _parameterCount - start);
        Span<T> sum = _gradient.Span.Slice(start, length);
        for (int b = 0; b < _blocksToAdd; b++)
        {
            Span<T> part = _blockGradients[b].Span.Slice(start, length);
            TensorPrimitives.Add(sum, part, sum);
            part.Clear();
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

    /// <summary>Makes sure a wave of <paramref name="blocks"/> blocks has its buffers (on the calling thread, before Run).</summary>
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
                _blockInputs[i] = new T[BlockRows * _inputCount];
                _blockTargets[i] = new T[BlockRows * _outputCount];
            }
        }
    }
}
