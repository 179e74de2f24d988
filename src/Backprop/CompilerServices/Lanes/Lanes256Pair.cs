using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// <see cref="IVectorLanes{TVector, T}"/> over <see cref="Vector256Pair{T}"/>: every operation
/// <see cref="Lanes256{T}"/>'s on each half, the reductions over both. The 512-bit rows of the register form on AVX2.
/// </summary>
internal readonly struct Lanes256Pair<T> : IVectorLanes<Vector256Pair<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256Pair<T>.Count;

    public static Vector256Pair<T> Zero => default;

    public static Vector256Pair<T> One => Broadcast(T.One);

    public static bool IsMultiplyAddFused
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Lanes256<T>.IsMultiplyAddFused;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Broadcast(T value) => Vector256Pair.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Load(ref T source, nuint offset) => Vector256Pair.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256Pair<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Add(Vector256Pair<T> a, Vector256Pair<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Subtract(Vector256Pair<T> a, Vector256Pair<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Multiply(Vector256Pair<T> a, Vector256Pair<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Divide(Vector256Pair<T> a, Vector256Pair<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Negate(Vector256Pair<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> MultiplyAdd(Vector256Pair<T> a, Vector256Pair<T> b, Vector256Pair<T> c)
        => new(Lanes256<T>.MultiplyAdd(a.Lower, b.Lower, c.Lower), Lanes256<T>.MultiplyAdd(a.Upper, b.Upper, c.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Abs(Vector256Pair<T> value) => new(Vector256.Abs(value.Lower), Vector256.Abs(value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Max(Vector256Pair<T> a, Vector256Pair<T> b)
        => new(Lanes256<T>.Max(a.Lower, b.Lower), Lanes256<T>.Max(a.Upper, b.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Min(Vector256Pair<T> a, Vector256Pair<T> b)
        => new(Lanes256<T>.Min(a.Lower, b.Lower), Lanes256<T>.Min(a.Upper, b.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> GreaterThan(Vector256Pair<T> a, Vector256Pair<T> b)
        => new(Vector256.GreaterThan(a.Lower, b.Lower), Vector256.GreaterThan(a.Upper, b.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> LessThan(Vector256Pair<T> a, Vector256Pair<T> b)
        => new(Vector256.LessThan(a.Lower, b.Lower), Vector256.LessThan(a.Upper, b.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> LessThanOrEqual(Vector256Pair<T> a, Vector256Pair<T> b)
        => new(Vector256.LessThanOrEqual(a.Lower, b.Lower), Vector256.LessThanOrEqual(a.Upper, b.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Equal(Vector256Pair<T> a, Vector256Pair<T> b)
        => new(Vector256.Equals(a.Lower, b.Lower), Vector256.Equals(a.Upper, b.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> IsNaN(Vector256Pair<T> value) => new(Lanes256<T>.IsNaN(value.Lower), Lanes256<T>.IsNaN(value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Or(Vector256Pair<T> a, Vector256Pair<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> And(Vector256Pair<T> a, Vector256Pair<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> AndNot(Vector256Pair<T> value, Vector256Pair<T> mask)
        => new(Vector256.AndNot(value.Lower, mask.Lower), Vector256.AndNot(value.Upper, mask.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Select(Vector256Pair<T> mask, Vector256Pair<T> ifTrue, Vector256Pair<T> ifFalse)
        => new(Vector256.ConditionalSelect(mask.Lower, ifTrue.Lower, ifFalse.Lower), Vector256.ConditionalSelect(mask.Upper, ifTrue.Upper, ifFalse.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> ShiftLeftBits(Vector256Pair<T> value, int count)
        => new(Lanes256<T>.ShiftLeftBits(value.Lower, count), Lanes256<T>.ShiftLeftBits(value.Upper, count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> ShiftRightBits(Vector256Pair<T> value, int count)
        => new(Lanes256<T>.ShiftRightBits(value.Lower, count), Lanes256<T>.ShiftRightBits(value.Upper, count));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Exp(Vector256Pair<T> value) => new(Lanes256<T>.Exp(value.Lower), Lanes256<T>.Exp(value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Log(Vector256Pair<T> value) => new(Lanes256<T>.Log(value.Lower), Lanes256<T>.Log(value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256Pair<T> value) => Vector256Pair.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldToBlock(Vector256Pair<T> value) => Lanes256<T>.FoldToBlock(value.Lower + value.Upper);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector256Pair<T> value) => Lanes256<T>.Largest(Lanes256<T>.Max(value.Lower, value.Upper));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> LargestInEveryLane(Vector256Pair<T> value)
    {
        Vector256<T> half = Lanes256<T>.LargestInEveryLane(Lanes256<T>.MaxNative(value.Lower, value.Upper));
        return new(half, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> SumInEveryLane(Vector256Pair<T> value)
    {
        Vector256<T> half = Lanes256<T>.SumInEveryLane(value.Lower + value.Upper);
        return new(half, half);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector256Pair<T> sum0, Vector256Pair<T> sum1, Vector256Pair<T> sum2, Vector256Pair<T> sum3, ref T bias, ref T destination)
        => Lanes256<T>.StoreSums(sum0.Lower + sum0.Upper, sum1.Lower + sum1.Upper, sum2.Lower + sum2.Upper, sum3.Lower + sum3.Upper, ref bias, ref destination);
}
