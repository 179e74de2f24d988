using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.CompilerServices;

/// <summary><see cref="IVectorLanes{TVector, T}"/> over 512-bit vectors, AVX-512.</summary>
internal readonly struct Lanes512<T> : IVectorLanes<Vector512<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;

    public static Vector512<T> Zero => Vector512<T>.Zero;

    public static Vector512<T> One => Vector512<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Negate(Vector512<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> value) => Vector512.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Max(Vector512<T> a, Vector512<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector512.Max(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Min(Vector512<T> a, Vector512<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector512.Min(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> GreaterThan(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThan(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThanOrEqual(Vector512<T> a, Vector512<T> b) => Vector512.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equal(Vector512<T> a, Vector512<T> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> IsNaN(Vector512<T> value) => ~Vector512.Equals(value, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Or(Vector512<T> a, Vector512<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> ifTrue, Vector512<T> ifFalse)
        => Vector512.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldToBlock(Vector512<T> value) => Lanes256<T>.FoldToBlock(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    public static bool IsMultiplyAddFused
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Avx512F.IsSupported;
    }

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
    public static Vector512<T> ShiftLeftBits(Vector512<T> value, int count)
        => typeof(T) == typeof(float)
            ? Vector512.ShiftLeft(value.AsUInt32(), count).As<uint, T>()
            : Vector512.ShiftLeft(value.AsUInt64(), count).As<ulong, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ShiftRightBits(Vector512<T> value, int count)
        => typeof(T) == typeof(float)
            ? Vector512.ShiftRightLogical(value.AsUInt32(), count).As<uint, T>()
            : Vector512.ShiftRightLogical(value.AsUInt64(), count).As<ulong, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> And(Vector512<T> a, Vector512<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AndNot(Vector512<T> value, Vector512<T> mask) => Vector512.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> value)
        => VectorExponential.Exp<T, Vector512<T>, Lanes512<T>>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log(Vector512<T> value)
        => VectorLogarithm.Log<T, Vector512<T>, Lanes512<T>>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector512<T> value) => Lanes256<T>.Largest(Lanes256<T>.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LargestInEveryLane(Vector512<T> value)
    {
        Vector256<T> half = Lanes256<T>.LargestInEveryLane(Lanes256<T>.MaxNative(value.GetLower(), value.GetUpper()));
        return Vector512.Create(half, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SumInEveryLane(Vector512<T> value)
    {
        Vector256<T> half = Lanes256<T>.SumInEveryLane(value.GetLower() + value.GetUpper());
        return Vector512.Create(half, half);
    }

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
