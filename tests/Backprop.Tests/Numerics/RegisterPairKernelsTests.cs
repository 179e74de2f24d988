using System.Numerics;
using System.Runtime.Intrinsics;
using Backprop.CompilerServices;

namespace Backprop.Tests.Numerics;

/// <summary>
/// The register kernels over <see cref="Vector256Pair{T}"/> (the register form of a network whose widest vector is
/// 512 bits, on AVX2), each against a double-precision reference written here, in float (16 lanes) and double
/// (8 lanes): what Forward's pair form calls. The networks test them too, but only on hardware without AVX-512; these
/// run everywhere. What must not be touched (lanes past a partial load or store) is compared bit for bit.
/// </summary>
public class RegisterPairKernelsTests
{
    public enum Precision
    {
        Single,
        Double,
    }

    public static TheoryData<Precision> Precisions => new(Precision.Single, Precision.Double);

    [Theory]
    [MemberData(nameof(Precisions))]
    public void The_pair_holds_its_lanes_in_order_and_its_operators_work_lane_by_lane(Precision precision)
        => Run(precision, AssertPairArithmetic<float>, AssertPairArithmetic<double>);

    [Theory]
    [MemberData(nameof(Precisions))]
    public void DotRows_of_a_square_layer_is_W_x_lane_by_lane(Precision precision)
        => Run(precision, AssertDotRows<float>, AssertDotRows<double>);

    [Theory]
    [MemberData(nameof(Precisions))]
    public void DotBlock_of_a_pair_is_a_block_of_row_dot_products_and_zero_past_the_rows(Precision precision)
        => Run(precision, AssertDotBlock<float>, AssertDotBlock<double>);

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Partial_loads_stores_and_masks_touch_only_the_first_lanes(Precision precision)
        => Run(precision, AssertPartialLanes<float>, AssertPartialLanes<double>);

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Register_softmax_of_a_pair_matches_the_reference_and_zeroes_the_lanes_past_the_logits(Precision precision)
        => Run(precision, AssertSoftmax<float>, AssertSoftmax<double>);

    private static void Run(Precision precision, Action single, Action @double)
    {
        if (precision == Precision.Single)
        {
            single();
        }
        else
        {
            @double();
        }
    }

    private static void AssertPairArithmetic<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256Pair<T>.Count;
        Assert.Equal(2 * Vector256<T>.Count, n);
        var random = new Random(3);
        T[] a = Values<T>(random, n), b = Values<T>(random, n);
        Vector256Pair<T> x = Vector256Pair.Create<T>(a), y = Vector256Pair.Create<T>(b);
        T three = T.CreateChecked(3);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(a[k], x[k]);
            Assert.Equal(a[k] + b[k], (x + y)[k]);
            Assert.Equal(a[k] - b[k], (x - y)[k]);
            Assert.Equal(a[k] * b[k], (x * y)[k]);
            Assert.Equal(a[k] / b[k], (x / y)[k]);
            Assert.Equal(a[k] * three, (x * three)[k]);
            Assert.Equal(three * a[k], (three * x)[k]);
            Assert.Equal(a[k] / three, (x / three)[k]);
            Assert.Equal(-a[k], (-x)[k]);
            Assert.Equal(three, Vector256Pair.Create(three)[k]);
            Assert.Equal(T.Zero, Vector256Pair<T>.Zero[k]);
            Assert.True(T.IsNaN(Vector256Pair<T>.AllBitsSet[k]));
        }

        NumericAssert.Close(a.Sum(v => double.CreateChecked(v)), double.CreateChecked(Vector256Pair.Sum(x)), Tolerance<T>(), 1, "Sum");
        T[] stored = new T[n + 3];
        Vector256Pair<T> loaded = Vector256Pair.LoadUnsafe(ref a[0], 0);
        loaded.StoreUnsafe(ref stored[0], 2);
        Assert.Equal([T.Zero, T.Zero, .. a, T.Zero], stored);
        Assert.Throws<ArgumentOutOfRangeException>(() => Vector256Pair.Create<T>(a.AsSpan(1)));
    }

    private static void AssertDotRows<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256Pair<T>.Count;
        var random = new Random(5);

        // Two parameters before the rows, so the offset is used; the rows are n × n.
        T[] parameters = Values<T>(random, 2 + (n * n));
        T[] x = Values<T>(random, n);
        Vector256Pair<T> z = RegisterKernels.DotRows(ref parameters[0], 2, Vector256Pair.Create<T>(x));
        for (int j = 0; j < n; j++)
        {
            (double expected, double scale) = Dot(parameters, 2 + (j * n), x);
            NumericAssert.Close(expected, double.CreateChecked(z[j]), Tolerance<T>() * scale / Math.Max(Math.Abs(expected), 1e-300), 1e-300, $"DotRows<{typeof(T).Name}> row {j}");
        }
    }

    private static void AssertDotBlock<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256Pair<T>.Count;
        int block = Vector128<T>.Count;
        var random = new Random(7);
        T[] parameters = Values<T>(random, 1 + (block * n));
        T[] x = Values<T>(random, n);
        Vector256Pair<T> input = Vector256Pair.Create<T>(x);
        for (int rows = 1; rows <= block; rows++)
        {
            Vector128<T> dots = rows == block
                ? RegisterKernels.DotBlock(ref parameters[0], 1, input)
                : RegisterKernels.DotBlock(ref parameters[0], 1, input, rows);
            for (int j = 0; j < block; j++)
            {
                if (j >= rows)
                {
                    Assert.Equal(T.Zero, dots.GetElement(j));
                    continue;
                }

                (double expected, double scale) = Dot(parameters, 1 + (j * n), x);
                NumericAssert.Close(expected, double.CreateChecked(dots.GetElement(j)), Tolerance<T>() * scale / Math.Max(Math.Abs(expected), 1e-300), 1e-300, $"DotBlock<{typeof(T).Name}> of {rows} rows, row {j}");
            }
        }

        Vector128<T>[] blocks = [.. Enumerable.Range(0, 4).Select(b => Vector128.Create<T>(Values<T>(random, block)))];
        Vector256Pair<T> joined = RegisterKernels.JoinPair(blocks[0], blocks[1], blocks[2], blocks[3]);
        for (int k = 0; k < n; k++)
        {
            Assert.Equal(blocks[k / block].GetElement(k % block), joined[k]);
        }
    }

    private static void AssertPartialLanes<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256Pair<T>.Count;
        var random = new Random(11);
        T[] source = Values<T>(random, n);
        T sentinel = T.CreateChecked(-7);
        for (int count = 1; count <= n; count++)
        {
            // The values sit at the end of the array, as an output layer's biases do: a load reading past them would throw.
            T[] tail = [.. Enumerable.Repeat(sentinel, 3), .. source.Take(count)];
            Vector256Pair<T> loaded = RegisterKernels.Load256Pair(ref tail[0], 3, count);
            Vector256Pair<T> masked = RegisterKernels.FirstLanes(Vector256Pair.Create<T>(source), count);
            for (int k = 0; k < n; k++)
            {
                T expected = k < count ? source[k] : T.Zero;
                Assert.Equal(expected, loaded[k]);
                Assert.Equal(expected, masked[k]);
            }

            T[] destination = [.. Enumerable.Repeat(sentinel, n + 1)];
            RegisterKernels.Store(Vector256Pair.Create<T>(source), destination, count);
            Assert.Equal([.. source.Take(count), .. Enumerable.Repeat(sentinel, n + 1 - count)], destination);
        }
    }

    private static void AssertSoftmax<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = Vector256Pair<T>.Count;
        var random = new Random(17);
        for (int count = 1; count <= n; count++)
        {
            T[] z = Values<T>(random, n, spread: 8);
            Vector256Pair<T> y = RegisterSoftmax.Compute(Vector256Pair.Create<T>(z), count);
            double[] expected = Softmax(z.Take(count).ToArray());
            for (int k = 0; k < n; k++)
            {
                if (k < count)
                {
                    Close<T>(expected[k], y[k], $"softmax of {count} lanes, lane {k}");
                }
                else
                {
                    Assert.Equal(T.Zero, y[k]);
                }
            }
        }
    }

    private static void Close<T>(double expected, T actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
        => NumericAssert.Close(expected, double.CreateChecked(actual), Tolerance<T>(), 1, $"{typeof(T).Name}: {what}");

    /// <summary>yₖ = e^(zₖ − max z) / Σⱼ e^(zⱼ − max z), in double.</summary>
    private static double[] Softmax<T>(T[] z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = z.Max(v => double.CreateChecked(v));
        double[] exponentials = [.. z.Select(v => Math.Exp(double.CreateChecked(v) - max))];
        double sum = exponentials.Sum();
        return [.. exponentials.Select(e => e / sum)];
    }

    /// <summary>The dot product of x with the row at <paramref name="offset"/>, and the sum of its terms' magnitudes.</summary>
    private static (double Value, double Scale) Dot<T>(T[] parameters, int offset, T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double value = 0, scale = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double term = double.CreateChecked(parameters[offset + i]) * double.CreateChecked(x[i]);
            value += term;
            scale += Math.Abs(term);
        }

        return (value, scale);
    }

    private static T[] Values<T>(Random random, int count, double spread = 2)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, count).Select(_ => T.CreateChecked(Samples.Uniform(random, -spread, spread)))];

    private static double Tolerance<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? 1e-5 : 1e-12;
}
