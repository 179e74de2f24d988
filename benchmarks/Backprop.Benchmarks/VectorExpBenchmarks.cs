using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// eˣ over 256-bit vectors, in ns per element (<see cref="Length"/> elements per call, each call reported per
/// element): <see cref="VectorExponential"/> (what the lanes run on every target), the per-lane fallback it replaced
/// on .NET 8 (<c>T.Exp</c> on each lane), and .NET 10's <c>Vector256.Exp</c> (what the lanes ran on .NET 9 and later
/// until it was measured against); then the sigmoid's vector form over each of the two vector exponentials (the
/// library's <c>Activations.Apply</c>, and the same formula over <c>Vector256.Exp</c>); then ln x the same
/// three ways (<see cref="VectorLogarithm"/>, per lane, <c>Vector256.Log</c>). Inputs uniform in [−20, 20], the
/// range of pre-activations; for ln, their exponentials. <c>dotnet run -c Release --project benchmarks/Backprop.Benchmarks --
/// --filter '*VectorExp*'</c>.
/// </summary>
/// <remarks>
/// Measured (AVX2 with FMA, .NET 10.0.12, a shared 2-vCPU machine under load, so ±10–20 %), ns per element:
/// eˣ float: polynomial 1.34, per lane 21.8, <c>Vector256.Exp</c> 1.82; double: 3.38, 15.8, 4.78. Sigmoid float:
/// 1.80 over the polynomial, 2.46 over .NET 10's; double 5.13 and 5.35. ln float: polynomial 2.19, per lane 26.5,
/// <c>Vector256.Log</c> 2.02; double: 5.60, 20.6, 4.54.
/// </remarks>
[MemoryDiagnoser]
public class VectorExpBenchmarks
{
    public const int Length = 4096;

    private readonly float[] singles = new float[Length];
    private readonly float[] positiveSingles = new float[Length];
    private readonly double[] positiveDoubles = new double[Length];
    private readonly double[] doubles = new double[Length];
    private readonly float[] singleResults = new float[Length];
    private readonly double[] doubleResults = new double[Length];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(13);
        for (int i = 0; i < Length; i++)
        {
            this.doubles[i] = (40 * random.NextDouble()) - 20;
            this.singles[i] = (float)this.doubles[i];
            this.positiveDoubles[i] = Math.Exp(this.doubles[i]);
            this.positiveSingles[i] = (float)this.positiveDoubles[i];
        }
    }

    [Benchmark(OperationsPerInvoke = Length)]
    public void SinglePolynomial() => Map<float, Polynomial<float>>(this.singles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SinglePerLane() => Map<float, PerLaneFallback<float>>(this.singles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SingleNet10() => Map<float, Net10<float>>(this.singles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoublePolynomial() => Map<double, Polynomial<double>>(this.doubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoublePerLane() => Map<double, PerLaneFallback<double>>(this.doubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoubleNet10() => Map<double, Net10<double>>(this.doubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SingleSigmoidPolynomial() => Map<float, SigmoidPolynomial<float>>(this.singles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SingleSigmoidNet10() => Map<float, SigmoidNet10<float>>(this.singles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoubleSigmoidPolynomial() => Map<double, SigmoidPolynomial<double>>(this.doubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoubleSigmoidNet10() => Map<double, SigmoidNet10<double>>(this.doubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SingleLogPolynomial() => Map<float, LogPolynomial<float>>(this.positiveSingles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SingleLogPerLane() => Map<float, LogPerLaneFallback<float>>(this.positiveSingles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void SingleLogNet10() => Map<float, LogNet10<float>>(this.positiveSingles, this.singleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoubleLogPolynomial() => Map<double, LogPolynomial<double>>(this.positiveDoubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoubleLogPerLane() => Map<double, LogPerLaneFallback<double>>(this.positiveDoubles, this.doubleResults);

    [Benchmark(OperationsPerInvoke = Length)]
    public void DoubleLogNet10() => Map<double, LogNet10<double>>(this.positiveDoubles, this.doubleResults);

    /// <summary>A function of one vector, as a type argument, so the JIT compiles <see cref="Map"/> once per function with it inlined.</summary>
    private interface IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        static abstract Vector256<T> Invoke(Vector256<T> x);
    }

    private readonly struct Polynomial<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x) => VectorExponential.Exp(x);
    }

    private readonly struct Net10<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x)
            => typeof(T) == typeof(float) ? Vector256.Exp(x.AsSingle()).As<float, T>() : Vector256.Exp(x.AsDouble()).As<double, T>();
    }

    private readonly struct SigmoidPolynomial<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x) => Activations.Apply<T, SigmoidOperator<T>>(x);
    }

    private readonly struct SigmoidNet10<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x) => Vector256<T>.One / (Vector256<T>.One + Net10<T>.Invoke(-x));
    }

    /// <summary>The .NET 8 fallback this replaces: each lane through the scalar function.</summary>
    private readonly struct PerLaneFallback<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x)
        {
            Vector256<T> result = x;
            for (int i = 0; i < Vector256<T>.Count; i++)
            {
                result = result.WithElement(i, T.Exp(x.GetElement(i)));
            }

            return result;
        }
    }

    private readonly struct LogPolynomial<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x) => VectorLogarithm.Log(x);
    }

    private readonly struct LogNet10<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x)
            => typeof(T) == typeof(float) ? Vector256.Log(x.AsSingle()).As<float, T>() : Vector256.Log(x.AsDouble()).As<double, T>();
    }

    private readonly struct LogPerLaneFallback<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x)
        {
            Vector256<T> result = x;
            for (int i = 0; i < Vector256<T>.Count; i++)
            {
                result = result.WithElement(i, T.Log(x.GetElement(i)));
            }

            return result;
        }
    }

    /// <summary>Whole vectors over the array.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Map<T, TFunction>(T[] source, T[] destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TFunction : IVectorFunction<T>
    {
        ref T from = ref MemoryMarshal.GetArrayDataReference(source);
        ref T to = ref MemoryMarshal.GetArrayDataReference(destination);
        for (nuint i = 0; i < (nuint)source.Length; i += (nuint)Vector256<T>.Count)
        {
            TFunction.Invoke(Vector256.LoadUnsafe(ref from, i)).StoreUnsafe(ref to, i);
        }
    }
}
