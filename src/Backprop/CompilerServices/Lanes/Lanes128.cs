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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Negate(Vector128<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs(Vector128<T> value) => Vector128.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Max(Vector128<T> a, Vector128<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector128.Max(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Min(Vector128<T> a, Vector128<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector128.Min(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> GreaterThan(Vector128<T> a, Vector128<T> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessThan(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessThanOrEqual(Vector128<T> a, Vector128<T> b) => Vector128.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equal(Vector128<T> a, Vector128<T> b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> IsNaN(Vector128<T> value) => ~Vector128.Equals(value, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Or(Vector128<T> a, Vector128<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> ifTrue, Vector128<T> ifFalse)
        => Vector128.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldToBlock(Vector128<T> value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    public static bool IsMultiplyAddFused
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported
            || (typeof(T) == typeof(float) && AdvSimd.IsSupported)
            || (typeof(T) == typeof(double) && AdvSimd.Arm64.IsSupported);
    }

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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> And(Vector128<T> a, Vector128<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AndNot(Vector128<T> value, Vector128<T> mask) => Vector128.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> value)
        => VectorExponential.Exp<T, Vector128<T>, Lanes128<T>>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Log(Vector128<T> value)
        => VectorLogarithm.Log<T, Vector128<T>, Lanes128<T>>(value);

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

    /// <summary>destination[k] = bias[k] + Σ sumₖ for four vectors: <see cref="SumEach(Vector128{T}, Vector128{T}, Vector128{T}, Vector128{T})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector128<T> sum0, Vector128<T> sum1, Vector128<T> sum2, Vector128<T> sum3, ref T bias, ref T destination)
    {
        if (typeof(T) == typeof(float))
        {
            (SumEach(sum0, sum1, sum2, sum3) + Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref destination);
        }
        else
        {
            (SumEach(sum0, sum1) + Vector128.LoadUnsafe(ref bias)).StoreUnsafe(ref destination);
            (SumEach(sum2, sum3) + Vector128.LoadUnsafe(ref bias, 2)).StoreUnsafe(ref destination, 2);
        }
    }

    /// <summary>
    /// [Σ a, Σ b, Σ c, Σ d] for four vectors of float. On x86 a transpose that adds as it goes: unpacking a with b
    /// (and c with d) and adding gives each one's two half-sums side by side, and moving the 64-bit halves together
    /// and adding finishes them. Each step is a one-cycle shuffle and an add; SSE3's horizontal add is three
    /// micro-operations with several cycles of latency, and a layer's dot products wait on the whole chain
    /// (measured, one 16 × 16 layer fed its own output on AVX2: 36 ns with horizontal adds, 14 ns with these shuffles).
    /// Arm's pairwise add is one fast instruction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> SumEach(Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d)
    {
        if (Sse.IsSupported)
        {
            Vector128<float> ab = Sse.UnpackLow(a.AsSingle(), b.AsSingle()) + Sse.UnpackHigh(a.AsSingle(), b.AsSingle());
            Vector128<float> cd = Sse.UnpackLow(c.AsSingle(), d.AsSingle()) + Sse.UnpackHigh(c.AsSingle(), d.AsSingle());
            return (Sse.MoveLowToHigh(ab, cd) + Sse.MoveHighToLow(cd, ab)).As<float, T>();
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            Vector128<float> ab = AdvSimd.Arm64.AddPairwise(a.AsSingle(), b.AsSingle());
            Vector128<float> cd = AdvSimd.Arm64.AddPairwise(c.AsSingle(), d.AsSingle());
            return AdvSimd.Arm64.AddPairwise(ab, cd).As<float, T>();
        }

        return Vector128.Create(Vector128.Sum(a.AsSingle()), Vector128.Sum(b.AsSingle()), Vector128.Sum(c.AsSingle()), Vector128.Sum(d.AsSingle())).As<float, T>();
    }

    /// <summary>[Σ a, Σ b] for two vectors of double: unpacked and added on x86, one pairwise add on Arm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<T> SumEach(Vector128<T> a, Vector128<T> b)
    {
        if (Sse2.IsSupported)
        {
            return (Sse2.UnpackLow(a.AsDouble(), b.AsDouble()) + Sse2.UnpackHigh(a.AsDouble(), b.AsDouble())).As<double, T>();
        }

        if (AdvSimd.Arm64.IsSupported)
        {
            return AdvSimd.Arm64.AddPairwise(a.AsDouble(), b.AsDouble()).As<double, T>();
        }

        return Vector128.Create(Vector128.Sum(a.AsDouble()), Vector128.Sum(b.AsDouble())).As<double, T>();
    }
}
