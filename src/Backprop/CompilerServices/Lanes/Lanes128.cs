using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Backprop.CompilerServices;

/// <summary><see cref="IVectorLanes{TVector, T}"/> over 128-bit vectors: SSE, or NEON on Arm.</summary>
internal readonly struct Lanes128<T> : IVectorLanes<Vector128<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;

    public static Vector128<T> Zero => Vector128<T>.Zero;

    public static Vector128<T> One => Vector128<T>.One;

    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

    public static Vector128<T> Negate(Vector128<T> value) => -value;

    public static Vector128<T> Abs(Vector128<T> value) => Vector128.Abs(value);

    public static Vector128<T> Max(Vector128<T> a, Vector128<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector128.Max(a, b));

    public static Vector128<T> Min(Vector128<T> a, Vector128<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector128.Min(a, b));

    public static Vector128<T> GreaterThan(Vector128<T> a, Vector128<T> b) => Vector128.GreaterThan(a, b);

    public static Vector128<T> LessThan(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);

    public static Vector128<T> Equal(Vector128<T> a, Vector128<T> b) => Vector128.Equals(a, b);

    public static Vector128<T> IsNaN(Vector128<T> value) => ~Vector128.Equals(value, value);

    public static Vector128<T> Or(Vector128<T> a, Vector128<T> b) => a | b;

    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> ifTrue, Vector128<T> ifFalse)
        => Vector128.ConditionalSelect(mask, ifTrue, ifFalse);

    public static Vector128<T> FoldToBlock(Vector128<T> value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    public static bool IsMultiplyAddFused
        => Fma.IsSupported
            || (typeof(T) == typeof(float) && AdvSimd.IsSupported)
            || (typeof(T) == typeof(double) && AdvSimd.Arm64.IsSupported);

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ShiftLeftBits(Vector128<T> value, int count)
        => typeof(T) == typeof(float)
            ? Vector128.ShiftLeft(value.AsUInt32(), count).As<uint, T>()
            : Vector128.ShiftLeft(value.AsUInt64(), count).As<ulong, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ShiftRightBits(Vector128<T> value, int count)
        => typeof(T) == typeof(float)
            ? Vector128.ShiftRightLogical(value.AsUInt32(), count).As<uint, T>()
            : Vector128.ShiftRightLogical(value.AsUInt64(), count).As<ulong, T>();

    public static Vector128<T> And(Vector128<T> a, Vector128<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> value)
    {
#if NET9_0_OR_GREATER
        return typeof(T) == typeof(float)
            ? Vector128.Exp(value.AsSingle()).As<float, T>()
            : Vector128.Exp(value.AsDouble()).As<double, T>();
#else
        return VectorExponential.Exp<T, Vector128<T>, Lanes128<T>>(value);
#endif
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log(Vector128<T> value)
    {
#if NET9_0_OR_GREATER
        return typeof(T) == typeof(float)
            ? Vector128.Log(value.AsSingle()).As<float, T>()
            : Vector128.Log(value.AsDouble()).As<double, T>();
#else
        return VectorLogarithm.Log<T, Vector128<T>, Lanes128<T>>(value);
#endif
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> lanes = value.AsSingle();
            lanes = Max(lanes.As<float, T>(), Vector128.Shuffle(lanes, Vector128.Create(2, 3, 0, 1)).As<float, T>()).AsSingle();
            lanes = Max(lanes.As<float, T>(), Vector128.Shuffle(lanes, Vector128.Create(1, 0, 3, 2)).As<float, T>()).AsSingle();
            return lanes.As<float, T>().ToScalar();
        }

        Vector128<double> pair = value.AsDouble();
        return Max(pair.As<double, T>(), Vector128.Shuffle(pair, Vector128.Create(1L, 0L)).As<double, T>()).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LargestInEveryLane(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> lanes = value.AsSingle();
            lanes = MaxNative(lanes, Vector128.Shuffle(lanes, Vector128.Create(2, 3, 0, 1)));
            return MaxNative(lanes, Vector128.Shuffle(lanes, Vector128.Create(1, 0, 3, 2))).As<float, T>();
        }

        Vector128<double> pair = value.AsDouble();
        return MaxNative(pair, Vector128.Shuffle(pair, Vector128.Create(1L, 0L))).As<double, T>();
    }

    /// <remarks>Lane 0 is (v₀ + v₂) + (v₁ + v₃) and every other lane the same two sums, so every lane has the same bits.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SumInEveryLane(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> lanes = value.AsSingle();
            lanes += Vector128.Shuffle(lanes, Vector128.Create(2, 3, 0, 1));
            return (lanes + Vector128.Shuffle(lanes, Vector128.Create(1, 0, 3, 2))).As<float, T>();
        }

        Vector128<double> pair = value.AsDouble();
        return (pair + Vector128.Shuffle(pair, Vector128.Create(1L, 0L))).As<double, T>();
    }

    /// <summary>The hardware's maximum (maxps on x86): no NaN or signed-zero rule of its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<TLane> MaxNative<TLane>(Vector128<TLane> a, Vector128<TLane> b)
#if NET9_0_OR_GREATER
        => Vector128.MaxNative(a, b);
#else
        => Vector128.Max(a, b);
#endif

    /// <summary>
    /// Pairwise (horizontal) adds reduce four vectors in three instructions for float (SSE3 haddps, or
    /// NEON faddp), instead of four separate reductions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector128<T> sum0, Vector128<T> sum1, Vector128<T> sum2, Vector128<T> sum3, ref T bias, ref T destination)
    {
        if (typeof(T) == typeof(float) && HasPairwiseAdd)
        {
            Vector128<T> sums = PairwiseAdd(PairwiseAdd(sum0, sum1), PairwiseAdd(sum2, sum3));
            (sums + Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref destination);
        }
        else if (typeof(T) == typeof(double) && HasPairwiseAdd)
        {
            (PairwiseAdd(sum0, sum1) + Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref destination);
            (PairwiseAdd(sum2, sum3) + Vector128.LoadUnsafe(ref bias, 2)).StoreUnsafe(ref destination, 2);
        }
        else
        {
            ScalarLanes<T>.StoreSums(Sum(sum0), Sum(sum1), Sum(sum2), Sum(sum3), ref bias, ref destination);
        }
    }

    /// <summary>Whether <see cref="PairwiseAdd"/> is one instruction (SSE3 or Arm64 NEON).</summary>
    internal static bool HasPairwiseAdd => Sse3.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>[a₀+a₁, a₂+a₃, b₀+b₁, b₂+b₃] for float, [a₀+a₁, b₀+b₁] for double; needs <see cref="HasPairwiseAdd"/>.</summary>
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
