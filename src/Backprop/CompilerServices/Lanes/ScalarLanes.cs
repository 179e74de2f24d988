using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary><see cref="ILanes{TVector, T}"/> one element wide: no SIMD hardware, and the remainder of a row.</summary>
internal readonly struct ScalarLanes<T> : ILanes<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;

    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
