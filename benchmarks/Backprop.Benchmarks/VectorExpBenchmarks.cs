using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// eˣ over 256-bit vectors, in ns per element (<see cref="Length"/> elements per call, each call reported per
/// element): <see cref="VectorExponential"/> (what the lanes run on .NET 8), the per-lane fallback it replaces
/// (<c>T.Exp</c> on each lane, as .NET 8 computed it before), and .NET 10's <c>Vector256.Exp</c> (what the lanes keep
/// on .NET 9 and later); then the sigmoid's vector form over each of the two vector exponentials. Inputs uniform in
/// [−20, 20], the range of pre-activations. <c>dotnet run -c Release --project benchmarks/Backprop.Benchmarks --
/// --filter '*VectorExp*'</c>.
/// </summary>
[MemoryDiagnoser]
public class VectorExpBenchmarks
{
    public const int Length = 4096;

    private readonly float[] singles = new float[Length];
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
        public static Vector256<T> Invoke(Vector256<T> x) => VectorExponential.Apply<T, SigmoidOperator<T>>(x);
    }

    private readonly struct SigmoidNet10<T> : IVectorFunction<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<T> Invoke(Vector256<T> x) => Activations.Apply<T, SigmoidOperator<T>>(x);
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
