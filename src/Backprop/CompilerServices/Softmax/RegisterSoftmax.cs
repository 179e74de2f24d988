using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The softmax of an output layer whose logits are one vector register (the register form of Forward and
/// TrainStep): the first <c>count</c> lanes are the logits, the others are ignored and come out 0. The largest
/// logit by shuffles, one vector exponential, the sum by shuffles, one division; nothing goes through memory.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RegisterSoftmax
{
    /// <summary>y = softmax(z) over the first <paramref name="count"/> lanes; the other lanes of y are 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Compute<T>(Vector128<T> z, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Compute<T, Vector128<T>, Lanes128<T>>(z, RegisterKernels.FirstLanes(Vector128<T>.AllBitsSet, count), out _, out _);

    /// <inheritdoc cref="Compute{T}(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Compute<T>(Vector256<T> z, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Compute<T, Vector256<T>, Lanes256<T>>(z, RegisterKernels.FirstLanes(Vector256<T>.AllBitsSet, count), out _, out _);

    /// <inheritdoc cref="Compute{T}(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Compute<T>(Vector512<T> z, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Compute<T, Vector512<T>, Lanes512<T>>(z, RegisterKernels.FirstLanes(Vector512<T>.AllBitsSet, count), out _, out _);

    /// <inheritdoc cref="Compute{T}(Vector128{T}, int)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256Pair<T> Compute<T>(Vector256Pair<T> z, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Compute<T, Vector256Pair<T>, Lanes256Pair<T>>(z, RegisterKernels.FirstLanes(Vector256Pair<T>.AllBitsSet, count), out _, out _);

    /// <summary>
    /// y = softmax(z) over the first <paramref name="count"/> lanes, and logsumexp(z) = max z + ln Σⱼ e^(zⱼ − max z),
    /// which cross-entropy needs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Compute<T>(Vector128<T> z, int count, out T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> y = Compute<T, Vector128<T>, Lanes128<T>>(z, RegisterKernels.FirstLanes(Vector128<T>.AllBitsSet, count), out T largest, out T total);
        logSumExp = largest + VectorLogarithm.Log(total);
        return y;
    }

    /// <inheritdoc cref="Compute{T}(Vector128{T}, int, out T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Compute<T>(Vector256<T> z, int count, out T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> y = Compute<T, Vector256<T>, Lanes256<T>>(z, RegisterKernels.FirstLanes(Vector256<T>.AllBitsSet, count), out T largest, out T total);
        logSumExp = largest + VectorLogarithm.Log(total);
        return y;
    }

    /// <inheritdoc cref="Compute{T}(Vector128{T}, int, out T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Compute<T>(Vector512<T> z, int count, out T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> y = Compute<T, Vector512<T>, Lanes512<T>>(z, RegisterKernels.FirstLanes(Vector512<T>.AllBitsSet, count), out T largest, out T total);
        logSumExp = largest + VectorLogarithm.Log(total);
        return y;
    }

    /// <summary>
    /// The steps of the scalar softmax on lanes: the lanes past the logits −∞ for the maximum and 0 after the
    /// exponential, so they add nothing to the sum and come out 0. The exponential sees 0 in those lanes, not −∞: e^(−∞)
    /// would go through a subnormal product, which costs a microcode assist (measured: 4-8-3 Forward 82 ns against 43).
    /// The maximum and the sum are left in every lane by shuffles, never passing through a scalar; the maximum is the
    /// hardware's, since a NaN logit makes the sum, and so every output, NaN whether or not it wins. Measured (float, AVX2, 3 of 4 lanes, each call fed the last one's
    /// output): 24 ns against 32 with a NaN-propagating maximum and the two reductions through scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Compute<T, TVector, TLanes>(TVector z, TVector mask, out T largest, out T total)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IVectorLanes<TVector, T>
    {
        TVector logits = TLanes.Select(mask, z, TLanes.Broadcast(T.NegativeInfinity));
        TVector largests = TLanes.LargestInEveryLane(logits);
        TVector exponents = TLanes.And(mask, TLanes.Exp(TLanes.And(mask, TLanes.Subtract(logits, largests))));
        TVector totals = TLanes.SumInEveryLane(exponents);
        largest = Unsafe.As<TVector, T>(ref largests);
        total = Unsafe.As<TVector, T>(ref totals);
        return TLanes.Divide(exponents, totals);
    }
}
