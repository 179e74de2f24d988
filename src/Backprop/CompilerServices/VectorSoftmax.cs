#if NET9_0_OR_GREATER
using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// Softmax of an output layer whose logits fill one vector register exactly (float: 4, 8 or 16 outputs for 128,
/// 256 or 512 bits; double: 2, 4 or 8): one vectorised exponential over all the outputs, where the general path
/// makes five library calls. Needs .NET 9's <c>Vector128.Exp</c>; on .NET 8 <see cref="NetworkMath.Softmax{T}"/>
/// keeps its other paths.
/// </summary>
/// <remarks>
/// Only whole registers: a shorter row padded through a stack buffer measured slower than the library calls
/// (3 floats: 33 ns against 18 for the scalar loop), the scalar stores not forwarding to the vector load.
/// </remarks>
internal static class VectorSoftmax
{
    /// <summary>
    /// Computes <see cref="NetworkMath.Softmax{T}"/> when z fills one accelerated vector; false (nothing
    /// written) for any other length or element type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryCompute<T>(ReadOnlySpan<T> z, Span<T> output, out T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) || typeof(T) == typeof(double))
        {
            if (Vector128.IsHardwareAccelerated && z.Length == Vector128<T>.Count)
            {
                logSumExp = Compute<T, Vector128<T>, Lanes128<T>>(z, output);
                return true;
            }

            if (Vector256.IsHardwareAccelerated && z.Length == Vector256<T>.Count)
            {
                logSumExp = Compute<T, Vector256<T>, Lanes256<T>>(z, output);
                return true;
            }

            if (Vector512.IsHardwareAccelerated && z.Length == Vector512<T>.Count)
            {
                logSumExp = Compute<T, Vector512<T>, Lanes512<T>>(z, output);
                return true;
            }
        }

        logSumExp = T.Zero;
        return false;
    }

    /// <summary>The same steps as the scalar softmax: the largest logit, every e^(zₖ − max z) at once, their sum, the quotients.</summary>
    private static T Compute<T, TVector, TLanes>(ReadOnlySpan<T> z, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : IExponentialLanes<TVector, T>
    {
        TVector logits = TLanes.Load(ref MemoryMarshal.GetReference(z), 0);
        T largest = TLanes.Largest(logits);
        TVector exponents = TLanes.Exp(TLanes.Subtract(logits, TLanes.Broadcast(largest)));
        T total = TLanes.Sum(exponents);
        TLanes.Store(TLanes.Divide(exponents, TLanes.Broadcast(total)), ref MemoryMarshal.GetReference(output), 0);
        return largest + T.Log(total);
    }
}

/// <summary>
/// What <see cref="VectorSoftmax"/> needs beyond <see cref="ISimdLanes{TVector, T}"/>, over one register width;
/// Exp exists only for float and double, and only from .NET 9.
/// </summary>
internal interface IExponentialLanes<TVector, T> : ISimdLanes<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    static abstract TVector Exp(TVector value);

    /// <summary>The largest lane, NaN if any lane is NaN (a scalar loop of T.Max measured 30 ns over 16 floats).</summary>
    static abstract T Largest(TVector value);
}

internal readonly partial struct Lanes128<T> : IExponentialLanes<Vector128<T>, T>
{
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> value) => typeof(T) == typeof(float)
        ? Vector128.Exp(value.AsSingle()).As<float, T>()
        : Vector128.Exp(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector128<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            Vector128<float> lanes = value.AsSingle();
            lanes = Vector128.Max(lanes, Vector128.Shuffle(lanes, Vector128.Create(2, 3, 0, 1)));
            lanes = Vector128.Max(lanes, Vector128.Shuffle(lanes, Vector128.Create(1, 0, 3, 2)));
            return lanes.As<float, T>().ToScalar();
        }

        Vector128<double> pair = value.AsDouble();
        return Vector128.Max(pair, Vector128.Shuffle(pair, Vector128.Create(1L, 0L))).As<double, T>().ToScalar();
    }
}

internal readonly partial struct Lanes256<T> : IExponentialLanes<Vector256<T>, T>
{
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> value) => typeof(T) == typeof(float)
        ? Vector256.Exp(value.AsSingle()).As<float, T>()
        : Vector256.Exp(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector256<T> value) => Lanes128<T>.Largest(Vector128.Max(value.GetLower(), value.GetUpper()));
}

internal readonly partial struct Lanes512<T> : IExponentialLanes<Vector512<T>, T>
{
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> value) => typeof(T) == typeof(float)
        ? Vector512.Exp(value.AsSingle()).As<float, T>()
        : Vector512.Exp(value.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector512<T> value) => Lanes256<T>.Largest(Vector256.Max(value.GetLower(), value.GetUpper()));
}
#endif
