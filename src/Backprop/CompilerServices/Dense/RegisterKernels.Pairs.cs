using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.CompilerServices;

/// <summary>
/// The register kernels over <see cref="Vector256Pair{T}"/>: a layer whose input is 16 float or 8 double values, run in
/// two 256-bit registers per row on hardware without AVX-512. Each overload is the 512-bit one's, on the pair; only
/// what Forward's pair form calls (TrainStep keeps the kernel form on AVX2: <c>NetworkPlan.RunsInRegisterPairs</c>).
/// </summary>
public static partial class RegisterKernels
{
    /// <inheritdoc cref="DotBlock{T}(ref T, int, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector256Pair<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector256Pair<T>, Lanes256Pair<T>>(ref parameters, offset, x);

    /// <inheritdoc cref="DotBlock{T}(ref T, int, Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> DotBlock<T>(ref T parameters, int offset, Vector256Pair<T> x, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
        => DotBlock<T, Vector256Pair<T>, Lanes256Pair<T>>(ref parameters, offset, x, rows);

    /// <summary>Four blocks of dot products side by side in a pair: the z of a layer of 16 float or 8 double neurons.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> JoinPair<T>(Vector128<T> block0, Vector128<T> block1, Vector128<T> block2, Vector128<T> block3)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(Vector256.Create(block0, block1), Vector256.Create(block2, block3));

    /// <summary>
    /// z of a square layer of 16 float or 8 double rows, each row a pair like its input: lane j is the dot product of x
    /// with row j. With AVX each row's products are folded to one 256-bit vector by one multiply and one multiply-add,
    /// then summed by a transpose that adds as it goes and one exchange of 128-bit halves per eight float or four
    /// double rows: fewer shuffles than four <c>DotBlock</c> calls, each of them one cycle.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> DotRows<T>(ref T parameters, int offset, Vector256Pair<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Avx.IsSupported)
        {
            int block = Vector128<T>.Count * Vector256Pair<T>.Count;
            return JoinPair(
                DotBlock(ref parameters, offset, x),
                DotBlock(ref parameters, offset + block, x),
                DotBlock(ref parameters, offset + (2 * block), x),
                DotBlock(ref parameters, offset + (3 * block), x));
        }

        ref T rows = ref Unsafe.Add(ref parameters, offset);
        if (typeof(T) == typeof(float))
        {
            ref float first = ref Unsafe.As<T, float>(ref rows);
            Vector256<float> lower = x.Lower.AsSingle(), upper = x.Upper.AsSingle();
            return new(EightDots(ref first, 0, lower, upper).As<float, T>(), EightDots(ref first, 8, lower, upper).As<float, T>());
        }

        ref double start = ref Unsafe.As<T, double>(ref rows);
        Vector256<double> low = x.Lower.AsDouble(), high = x.Upper.AsDouble();
        return new(FourDots(ref start, 0, low, high).As<double, T>(), FourDots(ref start, 4, low, high).As<double, T>());
    }

    /// <inheritdoc cref="Load128{T}(ref T, int, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Load256Pair<T>(ref T source, int offset, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int half = Vector256<T>.Count;
        return count >= 2 * half ? Vector256Pair.LoadUnsafe(ref source, (nuint)offset)
            : count > half ? new(Vector256.LoadUnsafe(ref source, (nuint)offset), Load256(ref source, offset + half, count - half))
            : new(Load256(ref source, offset, count), Vector256<T>.Zero);
    }

    /// <inheritdoc cref="Store{T}(Vector128{T}, Span{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector256Pair<T> value, Span<T> destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Store(value, ref MemoryMarshal.GetReference(destination), count);

    /// <inheritdoc cref="FirstLanes{T}(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> FirstLanes<T>(Vector256Pair<T> value, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => count >= Vector256Pair<T>.Count ? value : value & LaneMask<T, Vector256Pair<T>>(count);

    /// <summary>
    /// The dot products of (lower, upper) with rows <paramref name="first"/> to <paramref name="first"/> + 7 of 16 floats,
    /// by the transpose that adds as it goes (<see cref="Lanes128{T}.SumEach(Vector128{T}, Vector128{T}, Vector128{T}, Vector128{T})"/>)
    /// in each 128-bit half, then the halves exchanged and added: rows 0–3 in the lower half, 4–7 in the upper.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> EightDots(ref float rows, int first, Vector256<float> lower, Vector256<float> upper)
    {
        Vector256<float> rows0To3 = FourPartialSums(
            RowProducts(ref rows, first, lower, upper),
            RowProducts(ref rows, first + 1, lower, upper),
            RowProducts(ref rows, first + 2, lower, upper),
            RowProducts(ref rows, first + 3, lower, upper));
        Vector256<float> rows4To7 = FourPartialSums(
            RowProducts(ref rows, first + 4, lower, upper),
            RowProducts(ref rows, first + 5, lower, upper),
            RowProducts(ref rows, first + 6, lower, upper),
            RowProducts(ref rows, first + 7, lower, upper));
        return Avx.Permute2x128(rows0To3, rows4To7, 0x20) + Avx.Permute2x128(rows0To3, rows4To7, 0x31);
    }

    /// <summary>Per 128-bit half, [Σ a, Σ b, Σ c, Σ d] over that half's lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> FourPartialSums(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        Vector256<float> ab = Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b);
        Vector256<float> cd = Avx.UnpackLow(c, d) + Avx.UnpackHigh(c, d);
        return Avx.Shuffle(ab, cd, 0b01_00_01_00) + Avx.Shuffle(ab, cd, 0b11_10_11_10);
    }

    /// <summary>The dot products of (lower, upper) with rows <paramref name="first"/> to <paramref name="first"/> + 3 of 8 doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> FourDots(ref double rows, int first, Vector256<double> lower, Vector256<double> upper)
    {
        Vector256<double> rows01 = TwoPartialSums(RowProducts(ref rows, first, lower, upper), RowProducts(ref rows, first + 1, lower, upper));
        Vector256<double> rows23 = TwoPartialSums(RowProducts(ref rows, first + 2, lower, upper), RowProducts(ref rows, first + 3, lower, upper));
        return Avx.Permute2x128(rows01, rows23, 0x20) + Avx.Permute2x128(rows01, rows23, 0x31);
    }

    /// <summary>Per 128-bit half, [Σ a, Σ b] over that half's lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> TwoPartialSums(Vector256<double> a, Vector256<double> b) => Avx.UnpackLow(a, b) + Avx.UnpackHigh(a, b);

    /// <summary>Row j's products with (lower, upper), its two halves added: eight floats or four doubles that sum to the dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<TElement> RowProducts<TElement>(ref TElement rows, int j, Vector256<TElement> lower, Vector256<TElement> upper)
        where TElement : unmanaged, IFloatingPointIeee754<TElement>
    {
        nuint start = (nuint)(j * 2 * Vector256<TElement>.Count);
        return Lanes256<TElement>.MultiplyAdd(
            upper,
            Vector256.LoadUnsafe(ref rows, start + (nuint)Vector256<TElement>.Count),
            lower * Vector256.LoadUnsafe(ref rows, start));
    }
}
