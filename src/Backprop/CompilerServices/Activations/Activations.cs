using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The span and register forms of every element-wise activation, written once and generic over its operator
/// (<see cref="IActivationOperator{T}"/>): a = g(z) and δ ⊙= g′ over spans, the same per vector.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Activations
{
    /// <summary>a = g(z) element-wise; <paramref name="z"/> and <paramref name="a"/> may be the same span.</summary>
    public static void Apply<T, TOperator>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
    {
        CheckLengths(z.Length, a.Length, nameof(a));
        TOperator.Invoke(z, a);
    }

    /// <summary>
    /// δᵢ ·= g′ᵢ, with g′ read from <paramref name="input"/>: z or a, as
    /// <see cref="IActivationOperator{T}.DerivativeReadsPreActivation"/> says.
    /// </summary>
    public static void MultiplyByDerivative<T, TOperator>(ReadOnlySpan<T> input, Span<T> delta)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
    {
        CheckLengths(input.Length, delta.Length, nameof(delta));
        ref T source = ref MemoryMarshal.GetReference(input);
        ref T destination = ref MemoryMarshal.GetReference(delta);
        int length = input.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            i = MultiplyByDerivative<T, TOperator, Vector512<T>, Lanes512<T>>(ref source, ref destination, i, length);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            i = MultiplyByDerivative<T, TOperator, Vector256<T>, Lanes256<T>>(ref source, ref destination, i, length);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            i = MultiplyByDerivative<T, TOperator, Vector128<T>, Lanes128<T>>(ref source, ref destination, i, length);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref destination, i) *= TOperator.Derivative(Unsafe.Add(ref source, i));
        }
    }

    /// <summary>g(z) per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Apply<T, TOperator>(Vector128<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => TOperator.Invoke<Vector128<T>, Lanes128<T>>(z);

    /// <inheritdoc cref="Apply{T, TOperator}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Apply<T, TOperator>(Vector256<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => TOperator.Invoke<Vector256<T>, Lanes256<T>>(z);

    /// <inheritdoc cref="Apply{T, TOperator}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Apply<T, TOperator>(Vector512<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => TOperator.Invoke<Vector512<T>, Lanes512<T>>(z);

    /// <inheritdoc cref="Apply{T, TOperator}(Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Apply<T, TOperator>(Vector256Pair<T> z)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => TOperator.Invoke<Vector256Pair<T>, Lanes256Pair<T>>(z);

    /// <summary>δ = g′ ⊙ sum per lane, g′ read from <paramref name="input"/> (z or a, as the operator says).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyByDerivative<T, TOperator>(Vector128<T> input, Vector128<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => sum * TOperator.Derivative<Vector128<T>, Lanes128<T>>(input);

    /// <inheritdoc cref="MultiplyByDerivative{T, TOperator}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyByDerivative<T, TOperator>(Vector256<T> input, Vector256<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => sum * TOperator.Derivative<Vector256<T>, Lanes256<T>>(input);

    /// <inheritdoc cref="MultiplyByDerivative{T, TOperator}(Vector128{T}, Vector128{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyByDerivative<T, TOperator>(Vector512<T> input, Vector512<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        => sum * TOperator.Derivative<Vector512<T>, Lanes512<T>>(input);

    /// <summary>
    /// The span form most operators take: whole vectors of the widest accelerated width, what is left in narrower
    /// ones, then one element at a time.
    /// </summary>
    internal static void Map<T, TOperator>(ReadOnlySpan<T> z, Span<T> a)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
    {
        ref T source = ref MemoryMarshal.GetReference(z);
        ref T destination = ref MemoryMarshal.GetReference(a);
        int length = z.Length;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            i = Map<T, TOperator, Vector512<T>, Lanes512<T>>(ref source, ref destination, i, length);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            i = Map<T, TOperator, Vector256<T>, Lanes256<T>>(ref source, ref destination, i, length);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            i = Map<T, TOperator, Vector128<T>, Lanes128<T>>(ref source, ref destination, i, length);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref destination, i) = TOperator.Invoke(Unsafe.Add(ref source, i));
        }
    }

    /// <summary>The whole vectors from <paramref name="start"/>; returns where they end, for a narrower width to go on.</summary>
    private static int Map<T, TOperator, TVector, TLanes>(ref T source, ref T destination, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        int count = TLanes.Count;
        int i = start;
        for (; i <= length - count; i += count)
        {
            TLanes.Store(TOperator.Invoke<TVector, TLanes>(TLanes.Load(ref source, (nuint)i)), ref destination, (nuint)i);
        }

        return i;
    }

    private static int MultiplyByDerivative<T, TOperator, TVector, TLanes>(ref T source, ref T destination, int start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOperator : IActivationOperator<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        int count = TLanes.Count;
        int i = start;
        for (; i <= length - count; i += count)
        {
            TVector product = TLanes.Multiply(TLanes.Load(ref destination, (nuint)i), TOperator.Derivative<TVector, TLanes>(TLanes.Load(ref source, (nuint)i)));
            TLanes.Store(product, ref destination, (nuint)i);
        }

        return i;
    }

    private static void CheckLengths(int input, int output, string parameter)
    {
        if (input != output)
        {
            throw new ArgumentException("The input and the output must have the same length.", parameter);
        }
    }
}
