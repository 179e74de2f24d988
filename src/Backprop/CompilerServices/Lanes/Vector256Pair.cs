using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// A 512-bit vector held as two 256-bit registers: what the register form of Forward uses for a row
/// of 16 float or 8 double values on hardware with AVX2 and no AVX-512. Where <see cref="Vector512{T}"/> is not
/// accelerated the runtime emulates it through memory (measured on 16-16-16-4: Forward 116 ns in the kernel form,
/// 230 ns in the register form on emulated 512-bit vectors); this pair is two fields the JIT keeps in registers, and
/// every operation is the same operation on each half.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Vector256Pair<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes 0 to <see cref="Vector256{T}.Count"/> − 1.</summary>
    public readonly Vector256<T> Lower;

    /// <summary>The lanes after <see cref="Lower"/>.</summary>
    public readonly Vector256<T> Upper;

    /// <summary>The pair of <paramref name="lower"/> then <paramref name="upper"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256Pair(Vector256<T> lower, Vector256<T> upper)
    {
        Lower = lower;
        Upper = upper;
    }

    /// <summary>Elements in the pair: 16 float or 8 double.</summary>
    public static int Count => 2 * Vector256<T>.Count;

    /// <summary>Every lane 0.</summary>
    public static Vector256Pair<T> Zero => default;

    /// <summary>Every bit of every lane set: the mask that keeps every lane.</summary>
    public static Vector256Pair<T> AllBitsSet => new(Vector256<T>.AllBitsSet, Vector256<T>.AllBitsSet);

    /// <summary>Lane <paramref name="index"/>; a constant index compiles to one element read of one half.</summary>
    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => index < Vector256<T>.Count ? Lower.GetElement(index) : Upper.GetElement(index - Vector256<T>.Count);
    }

    /// <summary>a + b per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator +(Vector256Pair<T> a, Vector256Pair<T> b) => new(a.Lower + b.Lower, a.Upper + b.Upper);

    /// <summary>a − b per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator -(Vector256Pair<T> a, Vector256Pair<T> b) => new(a.Lower - b.Lower, a.Upper - b.Upper);

    /// <summary>a·b per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator *(Vector256Pair<T> a, Vector256Pair<T> b) => new(a.Lower * b.Lower, a.Upper * b.Upper);

    /// <summary>Every lane of a times b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator *(Vector256Pair<T> a, T b) => new(a.Lower * b, a.Upper * b);

    /// <summary>a times every lane of b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator *(T a, Vector256Pair<T> b) => new(a * b.Lower, a * b.Upper);

    /// <summary>a / b per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator /(Vector256Pair<T> a, Vector256Pair<T> b) => new(a.Lower / b.Lower, a.Upper / b.Upper);

    /// <summary>Every lane of a divided by b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator /(Vector256Pair<T> a, T b) => new(a.Lower / b, a.Upper / b);

    /// <summary>−value per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator -(Vector256Pair<T> value) => new(-value.Lower, -value.Upper);

    /// <summary>The bitwise and of a and b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator &(Vector256Pair<T> a, Vector256Pair<T> b) => new(a.Lower & b.Lower, a.Upper & b.Upper);

    /// <summary>The bitwise or of a and b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator |(Vector256Pair<T> a, Vector256Pair<T> b) => new(a.Lower | b.Lower, a.Upper | b.Upper);

    /// <summary>Every bit of value flipped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> operator ~(Vector256Pair<T> value) => new(~value.Lower, ~value.Upper);
}

/// <summary>
/// Creating, loading and summing <see cref="Vector256Pair{T}"/>, under the names <see cref="Vector512"/> gives the same
/// operations, so that the generated register form reads the same whichever holds its 512-bit rows.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Vector256Pair
{
    /// <summary>The pair of <paramref name="lower"/> then <paramref name="upper"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Create<T>(Vector256<T> lower, Vector256<T> upper)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(lower, upper);

    /// <summary><paramref name="value"/> in every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Create<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> half = Vector256.Create(value);
        return new(half, half);
    }

    /// <summary>The first <see cref="Vector256Pair{T}.Count"/> values of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="values"/> is shorter than a pair.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Create<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (values.Length < Vector256Pair<T>.Count)
        {
            ThrowShort(nameof(values));
        }

        ref T first = ref MemoryMarshal.GetReference(values);
        return new(Vector256.LoadUnsafe(ref first), Vector256.LoadUnsafe(ref first, (nuint)Vector256<T>.Count));
    }

    /// <summary>The pair at <paramref name="offset"/> elements from <paramref name="source"/>, unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> LoadUnsafe<T>(ref T source, nuint offset)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(Vector256.LoadUnsafe(ref source, offset), Vector256.LoadUnsafe(ref source, offset + (nuint)Vector256<T>.Count));

    /// <summary>The pair stored at <paramref name="offset"/> elements from <paramref name="destination"/>, unchecked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreUnsafe<T>(this Vector256Pair<T> value, ref T destination, nuint offset)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        value.Lower.StoreUnsafe(ref destination, offset);
        value.Upper.StoreUnsafe(ref destination, offset + (nuint)Vector256<T>.Count);
    }

    /// <summary>The sum of the lanes, the two halves added first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(Vector256Pair<T> value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Vector256.Sum(value.Lower + value.Upper);

    private static void ThrowShort(string name)
        => throw new ArgumentOutOfRangeException(name, "The span is shorter than a pair of 256-bit vectors.");
}
