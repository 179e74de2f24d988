using System.Numerics;
using System.Runtime.Intrinsics;

namespace Backprop.CompilerServices;

/// <summary>
/// The vector operations the runtime's kernels are written with, over one register width. Each kernel and each
/// activation is written once, generic over this interface; the JIT compiles it separately for each struct that
/// implements it (generic value-type instantiations are specialised), so the calls inline to single instructions.
/// <see cref="ScalarLanes{T}"/> is the same algorithm one element wide: the path for hardware without SIMD and for
/// the remainder of a row.
/// </summary>
internal interface ILanes<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Elements per vector.</summary>
    static abstract int Count { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Broadcast(T value);

    static abstract TVector Load(ref T source, nuint offset);

    static abstract void Store(TVector value, ref T destination, nuint offset);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a·b + c, fused (one rounding) where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    static abstract T Sum(TVector value);

    /// <summary>destination[k] = bias[k] + Σ(sum k) for k = 0…3: four rows' dot products finished together.</summary>
    static abstract void StoreSums(TVector sum0, TVector sum1, TVector sum2, TVector sum3, ref T bias, ref T destination);
}

/// <summary>
/// What the SIMD widths add to <see cref="ILanes{TVector, T}"/>: comparisons and selection per lane, the
/// elementary functions the activations are written with, and the reductions of a register-resident layer.
/// </summary>
/// <remarks>
/// A comparison returns a mask: every bit of a lane set where it holds, clear where it does not, for
/// <see cref="Select"/>. <see cref="Exp"/> is <see cref="VectorExponential"/>'s polynomial on every target, inlined
/// where it is used, so the activations built on it are vectorised everywhere and compute the same bits on .NET 8 and
/// .NET 10; <see cref="Log"/> likewise, with <see cref="VectorLogarithm"/>.
/// </remarks>
internal interface IVectorLanes<TVector, T> : ILanes<TVector, T>
    where TVector : struct
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract TVector One { get; }

    /// <summary>
    /// Whether <see cref="ILanes{TVector, T}.MultiplyAdd"/> rounds once, as FMA does (a constant once the JIT
    /// specialises the lanes).
    /// </summary>
    static abstract bool IsMultiplyAddFused { get; }

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    static abstract TVector Negate(TVector value);

    static abstract TVector Abs(TVector value);

    /// <summary>The larger of a and b per lane; NaN where either is NaN.</summary>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary>The smaller of a and b per lane; NaN where either is NaN.</summary>
    static abstract TVector Min(TVector a, TVector b);

    static abstract TVector GreaterThan(TVector a, TVector b);

    static abstract TVector LessThan(TVector a, TVector b);

    /// <summary>a ≤ b per lane: false where either is NaN.</summary>
    static abstract TVector LessThanOrEqual(TVector a, TVector b);

    static abstract TVector Equal(TVector a, TVector b);

    /// <summary>A mask of the lanes that are NaN.</summary>
    static abstract TVector IsNaN(TVector value);

    static abstract TVector Or(TVector a, TVector b);

    /// <summary>ifTrue where the mask is set, else ifFalse.</summary>
    static abstract TVector Select(TVector mask, TVector ifTrue, TVector ifFalse);

    /// <summary>
    /// The bits of each lane shifted left by <paramref name="count"/> as an unsigned integer of the lane's size
    /// (32 bits for float, 64 for double): how <see cref="VectorExponential"/> builds 2ᵏ in the exponent field.
    /// </summary>
    static abstract TVector ShiftLeftBits(TVector value, int count);

    /// <summary>The bits of each lane shifted right by <paramref name="count"/>, zeros in, as for <see cref="ShiftLeftBits"/>.</summary>
    static abstract TVector ShiftRightBits(TVector value, int count);

    /// <summary>The bitwise and of the lanes' bits.</summary>
    static abstract TVector And(TVector a, TVector b);

    /// <summary>value with every bit the mask sets cleared (value and not mask): one instruction on x86 and Arm.</summary>
    static abstract TVector AndNot(TVector value, TVector mask);

    /// <summary>eˣ per lane.</summary>
    static abstract TVector Exp(TVector value);

    /// <summary>ln x per lane.</summary>
    static abstract TVector Log(TVector value);

    /// <summary>The sum of the vector's 128-bit blocks: one block whose lanes add up to the same total.</summary>
    static abstract Vector128<T> FoldToBlock(TVector value);

    /// <summary>The largest lane, NaN if any lane is NaN.</summary>
    static abstract T Largest(TVector value);

    /// <summary>
    /// The largest lane in every lane, by the hardware's own maximum: where a lane is NaN, the result may be NaN or
    /// not. For a softmax, whose NaN logit makes its sum NaN either way, and one dependency chain shorter.
    /// </summary>
    static abstract TVector LargestInEveryLane(TVector value);

    /// <summary>The sum of the lanes in every lane, the same bits in each.</summary>
    static abstract TVector SumInEveryLane(TVector value);
}
