using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The lanes of <typeparamref name="TLanes"/> with <see cref="VectorExponential"/> as their <see cref="Exp"/> and
/// <see cref="VectorLogarithm"/> as their <see cref="Log"/>; every other operation is <typeparamref name="TLanes"/>'s
/// own. It is what the lanes are on .NET 8, on any target, so an operator's vector form over the polynomials can be
/// tested and measured where .NET 8 does not run.
/// </summary>
internal readonly struct PolynomialLanes<TVector, T, TLanes> : IVectorLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
    where TLanes : IVectorLanes<TVector, T>
{
    public static int Count => TLanes.Count;

    public static TVector Zero => TLanes.Zero;

    public static TVector One => TLanes.One;

    public static TVector Broadcast(T value) => TLanes.Broadcast(value);

    public static TVector Load(ref T source, nuint offset) => TLanes.Load(ref source, offset);

    public static void Store(TVector value, ref T destination, nuint offset) => TLanes.Store(value, ref destination, offset);

    public static TVector Add(TVector a, TVector b) => TLanes.Add(a, b);

    public static TVector Subtract(TVector a, TVector b) => TLanes.Subtract(a, b);

    public static TVector Multiply(TVector a, TVector b) => TLanes.Multiply(a, b);

    public static TVector Divide(TVector a, TVector b) => TLanes.Divide(a, b);

    public static TVector MultiplyAdd(TVector a, TVector b, TVector c) => TLanes.MultiplyAdd(a, b, c);

    public static bool IsMultiplyAddFused => TLanes.IsMultiplyAddFused;

    public static TVector Negate(TVector value) => TLanes.Negate(value);

    public static TVector Abs(TVector value) => TLanes.Abs(value);

    public static TVector Max(TVector a, TVector b) => TLanes.Max(a, b);

    public static TVector Min(TVector a, TVector b) => TLanes.Min(a, b);

    public static TVector GreaterThan(TVector a, TVector b) => TLanes.GreaterThan(a, b);

    public static TVector LessThan(TVector a, TVector b) => TLanes.LessThan(a, b);

    public static TVector LessThanOrEqual(TVector a, TVector b) => TLanes.LessThanOrEqual(a, b);

    public static TVector Equal(TVector a, TVector b) => TLanes.Equal(a, b);

    public static TVector IsNaN(TVector value) => TLanes.IsNaN(value);

    public static TVector Or(TVector a, TVector b) => TLanes.Or(a, b);

    public static TVector Select(TVector mask, TVector ifTrue, TVector ifFalse) => TLanes.Select(mask, ifTrue, ifFalse);

    public static TVector ShiftLeftBits(TVector value, int count) => TLanes.ShiftLeftBits(value, count);

    public static TVector ShiftRightBits(TVector value, int count) => TLanes.ShiftRightBits(value, count);

    public static TVector And(TVector a, TVector b) => TLanes.And(a, b);

    public static TVector AndNot(TVector value, TVector mask) => TLanes.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Exp(TVector value) => VectorExponential.Exp<T, TVector, TLanes>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Log(TVector value) => VectorLogarithm.Log<T, TVector, TLanes>(value);

    public static T Sum(TVector value) => TLanes.Sum(value);

    public static void StoreSums(TVector sum0, TVector sum1, TVector sum2, TVector sum3, ref T bias, ref T destination)
        => TLanes.StoreSums(sum0, sum1, sum2, sum3, ref bias, ref destination);

    public static Vector128<T> FoldToBlock(TVector value) => TLanes.FoldToBlock(value);

    public static T Largest(TVector value) => TLanes.Largest(value);

    public static TVector LargestInEveryLane(TVector value) => TLanes.LargestInEveryLane(value);

    public static TVector SumInEveryLane(TVector value) => TLanes.SumInEveryLane(value);
}
