using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Backprop.CompilerServices;

/// <summary>
/// The handful of vector operations <see cref="DenseKernels"/> needs, over one register width. Each kernel is
/// written once, generic over this interface; the JIT compiles it separately for each struct below (generic
/// value-type instantiations are specialised), so the calls inline to single instructions.
/// <see cref="ScalarLanes{T}"/> is the same algorithm one element wide: the path for hardware without
/// SIMD and for the remainder of a row.
/// </summary>
internal interface ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Broadcast(T value);

    static abstract TVector Load(ref T source, nuint offset);

    static abstract void Store(TVector value, ref T destination, nuint offset);

    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a·b + c, fused (one rounding) where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract T Sum(TVector value);

    /// <summary>destination[k] = bias[k] + Σ(sum k) for k = 0…3: four rows' dot products finished together.</summary>
    static abstract void StoreSums(TVector sum0, TVector sum1, TVector sum2, TVector sum3, ref T bias, ref T destination);
}

/// <summary>
/// The vector widths' extra operations for <see cref="RegisterKernels"/>, where a layer's row is one vector.
/// </summary>
internal interface IRegisterLanes<TVector, T> : ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>The sum of the vector's 128-bit blocks: one block whose lanes add up to the same total.</summary>
    static abstract Vector128<T> FoldToBlock(TVector value);
}

internal readonly struct ScalarLanes<T> : ISimdLanes<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static T Zero => T.Zero;

    public static T Broadcast(T value) => value;

    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => (a * b) + c;

    public static T Sum(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(T sum0, T sum1, T sum2, T sum3, ref T bias, ref T destination)
    {
        destination = bias + sum0;
        Unsafe.Add(ref destination, 1) = Unsafe.Add(ref bias, 1) + sum1;
        Unsafe.Add(ref destination, 2) = Unsafe.Add(ref bias, 2) + sum2;
        Unsafe.Add(ref destination, 3) = Unsafe.Add(ref bias, 3) + sum3;
    }
}

internal readonly partial struct Lanes128<T> : IRegisterLanes<Vector128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    public static Vector128<T> FoldToBlock(Vector128<T> value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }
        }

        if (AdvSimd.IsSupported && typeof(T) == typeof(float))
        {
            return AdvSimd.FusedMultiplyAdd(c.AsSingle(), a.AsSingle(), b.AsSingle()).As<float, T>();
        }

        if (AdvSimd.Arm64.IsSupported && typeof(T) == typeof(double))
        {
            return AdvSimd.Arm64.FusedMultiplyAdd(c.AsDouble(), a.AsDouble(), b.AsDouble()).As<double, T>();
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);

    /// <summary>
    /// Pairwise (horizontal) adds reduce four vectors in three instructions for float (SSE3 haddps, or
    /// NEON faddp), instead of four separate reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector128<T> sum0, Vector128<T> sum1, Vector128<T> sum2, Vector128<T> sum3, ref T bias, ref T destination)
    {
        if (typeof(T) == typeof(float) && (Sse3.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            Vector128<T> sums = PairwiseAdd(PairwiseAdd(sum0, sum1), PairwiseAdd(sum2, sum3));
            (sums + Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref destination);
        }
        else if (typeof(T) == typeof(double) && (Sse3.IsSupported || AdvSimd.Arm64.IsSupported))
        {
            (PairwiseAdd(sum0, sum1) + Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref destination);
            (PairwiseAdd(sum2, sum3) + Vector128.LoadUnsafe(ref bias, 2)).StoreUnsafe(ref destination, 2);
        }
        else
        {
            ScalarLanes<T>.StoreSums(Sum(sum0), Sum(sum1), Sum(sum2), Sum(sum3), ref bias, ref destination);
        }
    }

    /// <summary>[a₀+a₁, a₂+a₃, b₀+b₁, b₂+b₃] for float, [a₀+a₁, b₀+b₁] for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> PairwiseAdd(Vector128<T> a, Vector128<T> b)
    {
        if (typeof(T) == typeof(float))
        {
            return Sse3.IsSupported
                ? Sse3.HorizontalAdd(a.AsSingle(), b.AsSingle()).As<float, T>()
                : AdvSimd.Arm64.AddPairwise(a.AsSingle(), b.AsSingle()).As<float, T>();
        }

        return Sse3.IsSupported
            ? Sse3.HorizontalAdd(a.AsDouble(), b.AsDouble()).As<double, T>()
            : AdvSimd.Arm64.AddPairwise(a.AsDouble(), b.AsDouble()).As<double, T>();
    }
}

internal readonly partial struct Lanes256<T> : IRegisterLanes<Vector256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldToBlock(Vector256<T> value) => value.GetLower() + value.GetUpper();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector256<T> sum0, Vector256<T> sum1, Vector256<T> sum2, Vector256<T> sum3, ref T bias, ref T destination)
        => Lanes128<T>.StoreSums(
            sum0.GetLower() + sum0.GetUpper(),
            sum1.GetLower() + sum1.GetUpper(),
            sum2.GetLower() + sum2.GetUpper(),
            sum3.GetLower() + sum3.GetUpper(),
            ref bias,
            ref destination);
}

internal readonly partial struct Lanes512<T> : IRegisterLanes<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldToBlock(Vector512<T> value) => Lanes256<T>.FoldToBlock(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (Avx512F.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
            }

            if (typeof(T) == typeof(double))
            {
                return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            }
        }

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector512<T> sum0, Vector512<T> sum1, Vector512<T> sum2, Vector512<T> sum3, ref T bias, ref T destination)
        => Lanes256<T>.StoreSums(
            sum0.GetLower() + sum0.GetUpper(),
            sum1.GetLower() + sum1.GetUpper(),
            sum2.GetLower() + sum2.GetUpper(),
            sum3.GetLower() + sum3.GetUpper(),
            ref bias,
            ref destination);
}
