using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Backprop.CompilerServices;

/// <summary>
/// The arithmetic of a dense layer whose input fills exactly one vector register (float: 4, 8 or 16 inputs;
/// double: 2, 4 or 8), for the generated methods that keep a whole network's vectors in registers. Each row of
/// W is then one vector; a layer's activations and δ are vectors that never go through memory.
/// </summary>
/// <remarks>
/// <c>parameters</c> is the first element of <see cref="INetwork{T}.Parameters"/> and
/// <c>offset</c> the position of a row (W is row-major by output neuron). These methods do not check bounds:
/// the generator computes every offset from the layout it emits, and the tests run every such network.
/// Each overload is one vector width; the generated code picks the width the layer's input fills.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class RegisterKernels
{
    /// <summary>
    /// The dot products of x with the rows at <paramref name="offset"/>, one per lane of the result: four rows
    /// of float, two of double (as many as a 128-bit vector holds).
    /// </summary>
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector128<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector128<T>, Lanes128<T>>(ref parameters, offset, x);

    /// <inheritdoc cref="DotBlock{T}(ref T, int, Vector128{T})"/>
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector256<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector256<T>, Lanes256<T>>(ref parameters, offset, x);

    /// <inheritdoc cref="DotBlock{T}(ref T, int, Vector128{T})"/>
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector512<T>, Lanes512<T>>(ref parameters, offset, x);

    /// <summary>
    /// The dot products of x with the first <paramref name="rows"/> rows at <paramref name="offset"/> (fewer than a
    /// block holds: the last block of an output layer), lane k row k's, the lanes past them 0. Reads only those rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector128<T> x, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector128<T>, Lanes128<T>>(ref parameters, offset, x, rows);

    /// <inheritdoc cref="DotBlock{T}(ref T, int, Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector256<T> x, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector256<T>, Lanes256<T>>(ref parameters, offset, x, rows);

    /// <inheritdoc cref="DotBlock{T}(ref T, int, Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector512<T> x, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector512<T>, Lanes512<T>>(ref parameters, offset, x, rows);

    /// <summary>
    /// The <paramref name="count"/> values at <paramref name="offset"/> in the first lanes of a vector, the other
    /// lanes 0, reading nothing past them: an output layer's biases (the last parameters) or its targets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load128<T>(ref T source, int offset, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T first = ref Unsafe.Add(ref source, offset);
        if (count >= Vector128<T>.Count)
        {
            return Vector128.LoadUnsafe(ref first);
        }

        // The first 64 bits in one load (two floats or a double), then lane by lane.
        int k = 0;
        Vector128<T> result = Vector128<T>.Zero;
        if (count * Unsafe.SizeOf<T>() >= sizeof(ulong))
        {
            result = Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<T, byte>(ref first))).As<ulong, T>();
            k = sizeof(ulong) / Unsafe.SizeOf<T>();
        }

        for (; k < count; k++)
        {
            result = result.WithElement(k, Unsafe.Add(ref first, k));
        }

        return result;
    }

    /// <inheritdoc cref="Load128{T}(ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load256<T>(ref T source, int offset, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = Vector128<T>.Count;
        return count >= 2 * half ? Vector256.LoadUnsafe(ref Unsafe.Add(ref source, offset))
            : count > half ? Vector256.Create(Vector128.LoadUnsafe(ref Unsafe.Add(ref source, offset)), Load128(ref source, offset + half, count - half))
            : Vector256.Create(Load128(ref source, offset, count), Vector128<T>.Zero);
    }

    /// <inheritdoc cref="Load128{T}(ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load512<T>(ref T source, int offset, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = Vector256<T>.Count;
        return count >= 2 * half ? Vector512.LoadUnsafe(ref Unsafe.Add(ref source, offset))
            : count > half ? Vector512.Create(Vector256.LoadUnsafe(ref Unsafe.Add(ref source, offset)), Load256(ref source, offset + half, count - half))
            : Vector512.Create(Load256(ref source, offset, count), Vector256<T>.Zero);
    }

    /// <inheritdoc cref="Load128{T}(ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load128<T>(ReadOnlySpan<T> source, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Load128(ref MemoryMarshal.GetReference(source), 0, count);

    /// <inheritdoc cref="Load128{T}(ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load256<T>(ReadOnlySpan<T> source, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Load256(ref MemoryMarshal.GetReference(source), 0, count);

    /// <inheritdoc cref="Load128{T}(ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load512<T>(ReadOnlySpan<T> source, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Load512(ref MemoryMarshal.GetReference(source), 0, count);

    /// <summary>
    /// The first <paramref name="count"/> lanes of <paramref name="value"/> into <paramref name="destination"/>, nothing
    /// past them: an output layer's y into the caller's span (whose length the caller has checked).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector128<T> value, Span<T> destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Store(value, ref MemoryMarshal.GetReference(destination), count);

    /// <inheritdoc cref="Store{T}(Vector128{T}, Span{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector256<T> value, Span<T> destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Store(value, ref MemoryMarshal.GetReference(destination), count);

    /// <inheritdoc cref="Store{T}(Vector128{T}, Span{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector512<T> value, Span<T> destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Store(value, ref MemoryMarshal.GetReference(destination), count);

    /// <summary>Lanes at and past <paramref name="count"/> set to 0: an output layer's y or error past its outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FirstLanes<T>(Vector128<T> value, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => count >= Vector128<T>.Count ? value : value & LaneMask<T, Vector128<T>>(count);

    /// <inheritdoc cref="FirstLanes{T}(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FirstLanes<T>(Vector256<T> value, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => count >= Vector256<T>.Count ? value : value & LaneMask<T, Vector256<T>>(count);

    /// <inheritdoc cref="FirstLanes{T}(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FirstLanes<T>(Vector512<T> value, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => count >= Vector512<T>.Count ? value : value & LaneMask<T, Vector512<T>>(count);

    /// <summary>
    /// The output layer's bias step, b −= α·δ, for its <paramref name="count"/> biases at <paramref name="offset"/>
    /// (the last parameters: nothing past them is read or written).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepBiases<T>(ref T parameters, int offset, Vector128<T> delta, T learningRate, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count >= Vector128<T>.Count)
        {
            StepBiases(ref parameters, offset, delta, learningRate);
            return;
        }

        Store(Load128(ref parameters, offset, count) - (delta * learningRate), ref Unsafe.Add(ref parameters, offset), count);
    }

    /// <inheritdoc cref="StepBiases{T}(ref T, int, Vector128{T}, T, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepBiases<T>(ref T parameters, int offset, Vector256<T> delta, T learningRate, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count >= Vector256<T>.Count)
        {
            StepBiases(ref parameters, offset, delta, learningRate);
            return;
        }

        Store(Load256(ref parameters, offset, count) - (delta * learningRate), ref Unsafe.Add(ref parameters, offset), count);
    }

    /// <inheritdoc cref="StepBiases{T}(ref T, int, Vector128{T}, T, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StepBiases<T>(ref T parameters, int offset, Vector512<T> delta, T learningRate, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (count >= Vector512<T>.Count)
        {
            StepBiases(ref parameters, offset, delta, learningRate);
            return;
        }

        Store(Load512(ref parameters, offset, count) - (delta * learningRate), ref Unsafe.Add(ref parameters, offset), count);
    }

    /// <summary>
    /// z of a square layer whose 16 float or 8 double rows fill a 512-bit vector like its input: lane j is
    /// the dot product of x with row j. With AVX-512 the rows' products are summed by a transpose-and-add
    /// tree (adjacent lanes, then 128-bit blocks), about half the shuffles of four <c>DotBlock</c> calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> DotRows<T>(ref T parameters, int offset, Vector512<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Avx512F.IsSupported)
        {
            int block = Vector128<T>.Count * Vector512<T>.Count;
            return Join(
                DotBlock(ref parameters, offset, x),
                DotBlock(ref parameters, offset + block, x),
                DotBlock(ref parameters, offset + (2 * block), x),
                DotBlock(ref parameters, offset + (3 * block), x));
        }

        ref T rows = ref Unsafe.Add(ref parameters, offset);
        if (typeof(T) == typeof(float))
        {
            Vector512<float> input = x.AsSingle();
            ref float first = ref Unsafe.As<T, float>(ref rows);
            Vector512<float> rows0To3 = PairLanes(PairLanes(Product(ref first, 0, input), Product(ref first, 1, input)), PairLanes(Product(ref first, 2, input), Product(ref first, 3, input)));
            Vector512<float> rows4To7 = PairLanes(PairLanes(Product(ref first, 4, input), Product(ref first, 5, input)), PairLanes(Product(ref first, 6, input), Product(ref first, 7, input)));
            Vector512<float> rows8To11 = PairLanes(PairLanes(Product(ref first, 8, input), Product(ref first, 9, input)), PairLanes(Product(ref first, 10, input), Product(ref first, 11, input)));
            Vector512<float> rows12To15 = PairLanes(PairLanes(Product(ref first, 12, input), Product(ref first, 13, input)), PairLanes(Product(ref first, 14, input), Product(ref first, 15, input)));
            return PairBlocks(PairBlocks(rows0To3, rows4To7), PairBlocks(rows8To11, rows12To15)).As<float, T>();
        }

        Vector512<double> inputs = x.AsDouble();
        ref double start = ref Unsafe.As<T, double>(ref rows);
        Vector512<double> rows01 = PairLanes(Product(ref start, 0, inputs), Product(ref start, 1, inputs));
        Vector512<double> rows23 = PairLanes(Product(ref start, 2, inputs), Product(ref start, 3, inputs));
        Vector512<double> rows45 = PairLanes(Product(ref start, 4, inputs), Product(ref start, 5, inputs));
        Vector512<double> rows67 = PairLanes(Product(ref start, 6, inputs), Product(ref start, 7, inputs));
        return PairBlocks(PairBlocks(rows01, rows23), PairBlocks(rows45, rows67)).As<double, T>();
    }

    /// <summary>Two blocks of dot products side by side: the z of a layer of 8 float or 4 double neurons.</summary>
    public static Vector256<T> Join<T>(Vector128<T> low, Vector128<T> high)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.Create(low, high);

    /// <summary>Four blocks of dot products side by side: the z of a layer of 16 float or 8 double neurons.</summary>
    public static Vector512<T> Join<T>(Vector128<T> block0, Vector128<T> block1, Vector128<T> block2, Vector128<T> block3)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector512.Create(Vector256.Create(block0, block1), Vector256.Create(block2, block3));

    /// <summary>
    /// One row of a hidden layer's backward pass, in one read of the row: sum += W[j, :]·δⱼ (the row's share of
    /// Wᵀδ, from the weights before the step), then W[j, :] −= α·δⱼ·input.
    /// </summary>
    public static void PropagateAndStep<T>(ref T parameters, int offset, Vector128<T> input, T delta, T learningRate, ref Vector128<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PropagateAndStep<T, Vector128<T>, Lanes128<T>>(ref parameters, offset, input, delta, learningRate, ref sum);

    /// <inheritdoc cref="PropagateAndStep{T}(ref T, int, Vector128{T}, T, T, ref Vector128{T})"/>
    public static void PropagateAndStep<T>(ref T parameters, int offset, Vector256<T> input, T delta, T learningRate, ref Vector256<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PropagateAndStep<T, Vector256<T>, Lanes256<T>>(ref parameters, offset, input, delta, learningRate, ref sum);

    /// <inheritdoc cref="PropagateAndStep{T}(ref T, int, Vector128{T}, T, T, ref Vector128{T})"/>
    public static void PropagateAndStep<T>(ref T parameters, int offset, Vector512<T> input, T delta, T learningRate, ref Vector512<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        => PropagateAndStep<T, Vector512<T>, Lanes512<T>>(ref parameters, offset, input, delta, learningRate, ref sum);

    /// <summary>One row of the first layer's step, whose δ goes nowhere: W[j, :] −= α·δⱼ·input.</summary>
    public static void Step<T>(ref T parameters, int offset, Vector128<T> input, T delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Step<T, Vector128<T>, Lanes128<T>>(ref parameters, offset, input, delta, learningRate);

    /// <inheritdoc cref="Step{T}(ref T, int, Vector128{T}, T, T)"/>
    public static void Step<T>(ref T parameters, int offset, Vector256<T> input, T delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Step<T, Vector256<T>, Lanes256<T>>(ref parameters, offset, input, delta, learningRate);

    /// <inheritdoc cref="Step{T}(ref T, int, Vector128{T}, T, T)"/>
    public static void Step<T>(ref T parameters, int offset, Vector512<T> input, T delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Step<T, Vector512<T>, Lanes512<T>>(ref parameters, offset, input, delta, learningRate);

    /// <summary>A hidden layer's bias step, b −= α·δ, with its biases one vector at <paramref name="offset"/>.</summary>
    public static void StepBiases<T>(ref T parameters, int offset, Vector128<T> delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => StepBiases<T, Vector128<T>, Lanes128<T>>(ref parameters, offset, delta, learningRate);

    /// <inheritdoc cref="StepBiases{T}(ref T, int, Vector128{T}, T)"/>
    public static void StepBiases<T>(ref T parameters, int offset, Vector256<T> delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => StepBiases<T, Vector256<T>, Lanes256<T>>(ref parameters, offset, delta, learningRate);

    /// <inheritdoc cref="StepBiases{T}(ref T, int, Vector128{T}, T)"/>
    public static void StepBiases<T>(ref T parameters, int offset, Vector512<T> delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        => StepBiases<T, Vector512<T>, Lanes512<T>>(ref parameters, offset, delta, learningRate);

    /// <summary>
    /// Each row's products folded to one 128-bit block (its lanes add up to the dot product), then the blocks'
    /// lanes summed pairwise so that lane k holds row k's dot product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> DotBlock<T, TVector, TLanes>(ref T parameters, int offset, TVector x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        ref T row = ref Unsafe.Add(ref parameters, offset);
        nuint n = (nuint)TLanes.Count;
        Vector128<T> row0 = TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, 0), x));
        Vector128<T> row1 = TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, n), x));
        if (typeof(T) == typeof(double))
        {
            return Lanes128<T>.SumEach(row0, row1);
        }

        Vector128<T> row2 = TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, 2 * n), x));
        Vector128<T> row3 = TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, 3 * n), x));
        return Lanes128<T>.SumEach(row0, row1, row2, row3);
    }

    /// <summary><see cref="DotBlock{T, TVector, TLanes}(ref T, int, TVector)"/> over the first rows only, 0 in the other lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> DotBlock<T, TVector, TLanes>(ref T parameters, int offset, TVector x, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        if (rows >= Vector128<T>.Count)
        {
            return DotBlock<T, TVector, TLanes>(ref parameters, offset, x);
        }

        ref T row = ref Unsafe.Add(ref parameters, offset);
        nuint n = (nuint)TLanes.Count;
        Vector128<T> row0 = TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, 0), x));
        if (typeof(T) == typeof(double))
        {
            // One row of two: [Σ row0, 0].
            return Lanes128<T>.SumEach(row0, Vector128<T>.Zero);
        }

        Vector128<T> row1 = rows > 1 ? TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, n), x)) : Vector128<T>.Zero;
        Vector128<T> row2 = rows > 2 ? TLanes.FoldToBlock(TLanes.Multiply(TLanes.Load(ref row, 2 * n), x)) : Vector128<T>.Zero;
        return Lanes128<T>.SumEach(row0, row1, row2, Vector128<T>.Zero);
    }

    /// <summary>All bits set in the first <paramref name="count"/> lanes, clear in the others.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector LaneMask<T, TVector>(int count)
        where T : unmanaged
        where TVector : struct
    {
        // 64 bytes of ones then 64 of zeros: the mask starts count elements before the zeros.
        ref byte start = ref Unsafe.Add(ref MemoryMarshal.GetReference(MaskBytes), 64 - (count * Unsafe.SizeOf<T>()));
        return Unsafe.ReadUnaligned<TVector>(ref start);
    }

    private static ReadOnlySpan<byte> MaskBytes =>
    [
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

    /// <summary>The first <paramref name="count"/> lanes of a vector of any width, from its first 128-bit block on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T, TVector>(TVector value, ref T destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
    {
        int whole = count / Vector128<T>.Count;
        for (int block = 0; block < whole; block++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, block * Vector128<T>.Count)), Block<T, TVector>(value, block));
        }

        int done = whole * Vector128<T>.Count;
        if (done == count)
        {
            return;
        }

        Vector128<T> last = Block<T, TVector>(value, whole);
        ref byte target = ref Unsafe.As<T, byte>(ref Unsafe.Add(ref destination, done));
        int left = count - done;
        if (left * Unsafe.SizeOf<T>() >= sizeof(ulong))
        {
            // Two floats (or one double) in one 64-bit store.
            Unsafe.WriteUnaligned(ref target, last.AsUInt64().ToScalar());
            if (left * Unsafe.SizeOf<T>() == sizeof(ulong))
            {
                return;
            }

            Unsafe.Add(ref destination, done + 2) = last.GetElement(2);
            return;
        }

        Unsafe.Add(ref destination, done) = last.ToScalar();
    }

    /// <summary>128-bit block <paramref name="block"/> of a 128-, 256- or 512-bit vector or of a pair of 256-bit vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Block<T, TVector>(TVector value, int block)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
    {
        if (typeof(TVector) == typeof(Vector128<T>))
        {
            return Unsafe.As<TVector, Vector128<T>>(ref value);
        }

        if (typeof(TVector) == typeof(Vector256<T>))
        {
            Vector256<T> wide = Unsafe.As<TVector, Vector256<T>>(ref value);
            return block == 0 ? wide.GetLower() : wide.GetUpper();
        }

        if (typeof(TVector) == typeof(Vector256Pair<T>))
        {
            Vector256Pair<T> pair = Unsafe.As<TVector, Vector256Pair<T>>(ref value);
            return block switch
            {
                0 => pair.Lower.GetLower(),
                1 => pair.Lower.GetUpper(),
                2 => pair.Upper.GetLower(),
                _ => pair.Upper.GetUpper(),
            };
        }

        Vector512<T> widest = Unsafe.As<TVector, Vector512<T>>(ref value);
        return block switch
        {
            0 => widest.GetLower().GetLower(),
            1 => widest.GetLower().GetUpper(),
            2 => widest.GetUpper().GetLower(),
            _ => widest.GetUpper().GetUpper(),
        };
    }

    /// <summary>Row j of a matrix whose rows are one 512-bit vector each, times x lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<TElement> Product<TElement>(ref TElement rows, int j, Vector512<TElement> x)
        => Vector512.LoadUnsafe(ref rows, (nuint)(j * Vector512<TElement>.Count)) * x;

    /// <summary>
    /// Per 128-bit block, the sums of adjacent lanes of a then of b: [a₀+a₁, a₂+a₃, b₀+b₁, b₂+b₃]. Applied to
    /// rows' products twice, each block holds one partial sum of each of four rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairLanes(Vector512<float> a, Vector512<float> b)
        => Avx512F.Shuffle(a, b, 0b10_00_10_00) + Avx512F.Shuffle(a, b, 0b11_01_11_01);

    /// <summary>Per 128-bit block, [a₀+a₁, b₀+b₁].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> PairLanes(Vector512<double> a, Vector512<double> b)
        => Avx512F.Shuffle(a, b, 0b0000_0000) + Avx512F.Shuffle(a, b, 0b1111_1111);

    /// <summary>
    /// The sums of adjacent 128-bit blocks of a then of b: [a₀+a₁, a₂+a₃, b₀+b₁, b₂+b₃] in blocks. Twice over
    /// the paired rows, block k holds the whole dot products of rows 4k to 4k + 3 (float; 2k, 2k + 1 for double).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> PairBlocks(Vector512<float> a, Vector512<float> b)
        => Avx512F.Shuffle4x128(a, b, 0b10_00_10_00) + Avx512F.Shuffle4x128(a, b, 0b11_01_11_01);

    /// <inheritdoc cref="PairBlocks(Vector512{float}, Vector512{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> PairBlocks(Vector512<double> a, Vector512<double> b)
        => Avx512F.Shuffle4x128(a, b, 0b10_00_10_00) + Avx512F.Shuffle4x128(a, b, 0b11_01_11_01);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PropagateAndStep<T, TVector, TLanes>(ref T parameters, int offset, TVector input, T delta, T learningRate, ref TVector sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        ref T row = ref Unsafe.Add(ref parameters, offset);
        TVector weights = TLanes.Load(ref row, 0);
        sum = TLanes.MultiplyAdd(weights, TLanes.Broadcast(delta), sum);
        TLanes.Store(TLanes.MultiplyAdd(input, TLanes.Broadcast(-learningRate * delta), weights), ref row, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step<T, TVector, TLanes>(ref T parameters, int offset, TVector input, T delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        ref T row = ref Unsafe.Add(ref parameters, offset);
        TLanes.Store(TLanes.MultiplyAdd(input, TLanes.Broadcast(-learningRate * delta), TLanes.Load(ref row, 0)), ref row, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StepBiases<T, TVector, TLanes>(ref T parameters, int offset, TVector delta, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        ref T biases = ref Unsafe.Add(ref parameters, offset);
        TLanes.Store(TLanes.MultiplyAdd(delta, TLanes.Broadcast(-learningRate), TLanes.Load(ref biases, 0)), ref biases, 0);
    }
}
