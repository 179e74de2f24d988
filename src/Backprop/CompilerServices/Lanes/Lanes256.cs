using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Backprop.CompilerServices;

/// <summary><see cref="IVectorLanes{TVector, T}"/> over 256-bit vectors, AVX2.</summary>
internal readonly struct Lanes256<T> : IVectorLanes<Vector256<T>, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;

    public static Vector256<T> Zero => Vector256<T>.Zero;

    public static Vector256<T> One => Vector256<T>.One;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Negate(Vector256<T> value) => -value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> value) => Vector256.Abs(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Max(Vector256<T> a, Vector256<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector256.Max(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Min(Vector256<T> a, Vector256<T> b) => Select(Or(IsNaN(a), IsNaN(b)), a + b, Vector256.Min(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> GreaterThan(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThanOrEqual(Vector256<T> a, Vector256<T> b) => Vector256.LessThanOrEqual(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equal(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> IsNaN(Vector256<T> value) => ~Vector256.Equals(value, value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Or(Vector256<T> a, Vector256<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> ifTrue, Vector256<T> ifFalse)
        => Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FoldToBlock(Vector256<T> value) => value.GetLower() + value.GetUpper();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    public static bool IsMultiplyAddFused
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
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

        return (a * b) + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ShiftLeftBits(Vector256<T> value, int count)
        => typeof(T) == typeof(float)
            ? Vector256.ShiftLeft(value.AsUInt32(), count).As<uint, T>()
            : Vector256.ShiftLeft(value.AsUInt64(), count).As<ulong, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ShiftRightBits(Vector256<T> value, int count)
        => typeof(T) == typeof(float)
            ? Vector256.ShiftRightLogical(value.AsUInt32(), count).As<uint, T>()
            : Vector256.ShiftRightLogical(value.AsUInt64(), count).As<ulong, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> a, Vector256<T> b) => a & b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> value, Vector256<T> mask) => Vector256.AndNot(value, mask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> value)
        => VectorExponential.Exp<T, Vector256<T>, Lanes256<T>>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log(Vector256<T> value)
        => VectorLogarithm.Log<T, Vector256<T>, Lanes256<T>>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Largest(Vector256<T> value) => Lanes128<T>.Largest(Lanes128<T>.Max(value.GetLower(), value.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LargestInEveryLane(Vector256<T> value)
    {
        Vector128<T> block = Lanes128<T>.LargestInEveryLane(Lanes128<T>.MaxNative(value.GetLower(), value.GetUpper()));
        return Vector256.Create(block, block);
    }

    /// <inheritdoc cref="Lanes128{T}.MaxNative{TLane}(Vector128{TLane}, Vector128{TLane})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<T> MaxNative(Vector256<T> a, Vector256<T> b)
#if NET9_0_OR_GREATER
        => Vector256.MaxNative(a, b);
#else
        => Vector256.Max(a, b);
#endif

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SumInEveryLane(Vector256<T> value)
    {
        Vector128<T> block = Lanes128<T>.SumInEveryLane(value.GetLower() + value.GetUpper());
        return Vector256.Create(block, block);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(Vector256<T> sum0, Vector256<T> sum1, Vector256<T> sum2, Vector256<T> sum3, ref T bias, ref T destination)
        => Lanes128<T>.StoreSums(
            sum0.GetLower() + sum0.GetUpper(),
            sum1.GetLower() + sum1.GetUpper(),
            sum2.GetLower() + sum2.GetUpper(),
            sum3.GetLower() + sum3.GetUpper(),
            ref bias,
            ref destination);
}
