using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Backprop.CompilerServices;

namespace Backprop.Tests.Numerics;

/// <summary>
/// <see cref="BatchKernels"/> (Forward Z = X·Wᵀ + b, Propagate P = Δ·W, Accumulate dW += Δᵀ·X and db += ΣΔ), float
/// and double, against a naive double-precision reference written here, over shapes that reach every path: inputs
/// and neurons from 1 to 40 across every vector width's boundary (float 4, 8, 16 and double 2, 4, 8 lanes, and the
/// two-vector panels of the product tiles), row counts on and off the six-row tiles and the two-row dot tiles, the
/// dot-product path and the packed path of <see cref="BatchKernels.ForwardPacksWeights"/> (three-row and two-row dot
/// tiles, 48-row blocks, four-neuron tiles with one to three neurons left over), a 784 × 128 layer and packed layers
/// larger than the 16 KB of stack.
/// </summary>
/// <remarks>
/// The kernels use FMA and their own summation order, so results are compared by relative error against the sum of
/// the magnitudes of the terms; what must not change at all (rows = 0, a repeated call) is compared bit for bit.
/// <see cref="Without_SIMD_and_at_128_bits_the_batch_kernel_tests_pass_too"/> runs this class again in child
/// processes with <c>DOTNET_EnableHWIntrinsic=0</c> (the scalar lanes) and <c>DOTNET_PreferredVectorBitWidth=128</c>.
/// </remarks>
public partial class BatchKernelsTests
{
    public enum Precision
    {
        Single,
        Double,
    }

    /// <summary>Set in the child processes, which must not start children of their own.</summary>
    private const string ChildVariable = "BACKPROP_BATCH_KERNELS_CHILD";

    /// <summary>Float keeps about 7 digits; a sum of up to 784 terms in vector lanes loses well under 2.</summary>
    private const double SingleTolerance = 2e-5;

    private const double DoubleTolerance = 1e-12;

    /// <summary>
    /// Inputs and neurons of the small shapes: 1–3 (one element wide for float), each width's boundary and one
    /// past it (4, 5, 8, 9, 16, 17), two-vector panels and their remainders (7, 12, 15, 23–25, 31–33), and 40.
    /// </summary>
    private static readonly int[] SmallSizes = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 24, 25, 31, 32, 33, 40];

    /// <summary>0, 1–13 (every remainder of the six-row tile and of the pairs) and 50.</summary>
    public static TheoryData<Precision, int> PrecisionsAndRows => new(
        from precision in new[] { Precision.Single, Precision.Double }
        from rows in Enumerable.Range(0, 14).Append(50)
        select (precision, rows));

    /// <summary>
    /// The dot-product path and the packed path of middling rows: inputs around the thresholds and with remainders,
    /// 1–9 neurons, rows across the 48-row blocks of the dot tiles and the three-row tiles, and 200 rows, where up to
    /// 127 inputs are packed again.
    /// </summary>
    public static TheoryData<Precision, int, int, int> DotShapes => new(
        from precision in new[] { Precision.Single, Precision.Double }
        from rows in new[] { 1, 2, 3, 13, 50, 70, 200 }
        from inputs in new[] { BatchKernels.DotProductMinimumInputs - 1, BatchKernels.DotProductMinimumInputs, 65, 71, 100, 130 }
        from neurons in new[] { 1, 2, 3, 4, 5, 7, 8, 9 }
        select (precision, rows, inputs, neurons));

    public static TheoryData<Precision> Precisions => new(Precision.Single, Precision.Double);

    [Theory]
    [MemberData(nameof(PrecisionsAndRows))]
    public void Forward_computes_X_WT_plus_b_for_every_small_shape(Precision precision, int rows)
        => Run(precision, () => ForEachSmallShape((inputs, neurons) => AssertForward<float>(rows, inputs, neurons)), () => ForEachSmallShape((inputs, neurons) => AssertForward<double>(rows, inputs, neurons)));

    [Theory]
    [MemberData(nameof(PrecisionsAndRows))]
    public void Propagate_overwrites_P_with_Delta_W_for_every_small_shape(Precision precision, int rows)
        => Run(precision, () => ForEachSmallShape((inputs, neurons) => AssertPropagate<float>(rows, inputs, neurons)), () => ForEachSmallShape((inputs, neurons) => AssertPropagate<double>(rows, inputs, neurons)));

    [Theory]
    [MemberData(nameof(PrecisionsAndRows))]
    public void Accumulate_adds_DeltaT_X_and_the_column_sums_of_Delta_for_every_small_shape(Precision precision, int rows)
        => Run(precision, () => ForEachSmallShape((inputs, neurons) => AssertAccumulate<float>(rows, inputs, neurons)), () => ForEachSmallShape((inputs, neurons) => AssertAccumulate<double>(rows, inputs, neurons)));

    [Theory]
    [MemberData(nameof(DotShapes))]
    public void Every_kernel_agrees_with_the_reference_on_long_rows(Precision precision, int rows, int inputs, int neurons)
        => Run(precision, () => AssertAll<float>(rows, inputs, neurons), () => AssertAll<double>(rows, inputs, neurons));

    /// <summary>784 × 128 by dot products; 63 × 100 and 100 × 70 over 300 rows packed into a rented array (over 16 KB).</summary>
    [Theory]
    [InlineData(Precision.Single, 3, 784, 128)]
    [InlineData(Precision.Single, 7, 784, 128)]
    [InlineData(Precision.Double, 3, 784, 128)]
    [InlineData(Precision.Double, 7, 784, 128)]
    [InlineData(Precision.Single, 5, 63, 100)]
    [InlineData(Precision.Double, 5, 63, 100)]
    [InlineData(Precision.Single, 300, 100, 70)]
    [InlineData(Precision.Double, 300, 100, 70)]
    public void Every_kernel_agrees_with_the_reference_on_large_layers(Precision precision, int rows, int inputs, int neurons)
        => Run(precision, () => AssertAll<float>(rows, inputs, neurons), () => AssertAll<double>(rows, inputs, neurons));

    [Fact]
    public void Forward_packs_the_weights_of_short_rows_only()
    {
        Assert.True(BatchKernels.ForwardPacksWeights(1));
        Assert.True(BatchKernels.ForwardPacksWeights(BatchKernels.DotProductMinimumInputs - 1));
        Assert.False(BatchKernels.ForwardPacksWeights(BatchKernels.DotProductMinimumInputs));
        Assert.False(BatchKernels.ForwardPacksWeights(784));
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void A_repeated_call_gives_the_same_bits(Precision precision)
        => Run(precision, AssertRepeatable<float>, AssertRepeatable<double>);

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Kernels_reject_spans_that_do_not_describe_one_layer_over_the_rows(Precision precision)
        => Run(precision, AssertRejectsWrongShapes<float>, AssertRejectsWrongShapes<double>);

    [Theory]
    [InlineData("DOTNET_EnableHWIntrinsic", "0")]
    [InlineData("DOTNET_PreferredVectorBitWidth", "128")]
    public void Without_SIMD_and_at_128_bits_the_batch_kernel_tests_pass_too(string variable, string value)
    {
        if (Environment.GetEnvironmentVariable(ChildVariable) is not null)
        {
            return;
        }

        string stdout = RunThisClassWith(variable, value);
        Match summary = Summary().Match(stdout);
        Assert.True(summary.Success, $"No test summary in the child's output:\n{stdout}");
        Assert.True(int.Parse(summary.Groups["total"].Value, CultureInfo.InvariantCulture) > 100, $"Too few tests ran in the child:\n{stdout}");
        Assert.Equal("0", summary.Groups["failed"].Value);
    }

    /// <summary>This class again in a child process with one environment variable set; its output.</summary>
    private static string RunThisClassWith(string variable, string value)
    {
        ProcessStartInfo start = new(JitMinOptsTests.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(BatchKernelsTests).Assembly.Location);
        start.ArgumentList.Add("-class");
        start.ArgumentList.Add(typeof(BatchKernelsTests).FullName!);
        start.Environment[variable] = value;
        start.Environment[ChildVariable] = "1";
        start.Environment["NO_COLOR"] = "1";

        using Process child = Process.Start(start)!;
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(5)), $"The child test run with {variable}={value} did not finish in five minutes.");
        Assert.True(child.ExitCode == 0, $"The batch kernel tests failed with {variable}={value} (exit code {child.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    [GeneratedRegex(@"Total: (?<total>\d+), Errors: \d+, Failed: (?<failed>\d+)")]
    private static partial Regex Summary();

    private static void ForEachSmallShape(Action<int, int> assert)
    {
        foreach (int inputs in SmallSizes)
        {
            foreach (int neurons in SmallSizes)
            {
                assert(inputs, neurons);
            }
        }
    }

    private static void AssertAll<T>(int rows, int inputs, int neurons)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        AssertForward<T>(rows, inputs, neurons);
        AssertPropagate<T>(rows, inputs, neurons);
        AssertAccumulate<T>(rows, inputs, neurons);
    }

    private static void AssertForward<T>(int rows, int inputs, int neurons)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Batch<T> batch = Batch<T>.Draw(rows, inputs, neurons);
        T[] z = Garbage<T>(rows * neurons);

        BatchKernels.Forward<T>(batch.Weights, batch.Biases, batch.Inputs, z, rows);

        string what = $"Forward<{typeof(T).Name}> {rows} rows, {inputs} inputs → {neurons} neurons: Z";
        if (rows == 0)
        {
            Assert.Empty(z);
            return;
        }

        var expected = new double[rows * neurons];
        var scale = new double[rows * neurons];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < neurons; j++)
            {
                double sum = D(batch.Biases[j]), magnitude = Math.Abs(sum);
                for (int i = 0; i < inputs; i++)
                {
                    double term = D(batch.Inputs[(r * inputs) + i]) * D(batch.Weights[(j * inputs) + i]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                expected[(r * neurons) + j] = sum;
                scale[(r * neurons) + j] = magnitude;
            }
        }

        AssertClose(expected, scale, z, neurons, what);
    }

    private static void AssertPropagate<T>(int rows, int inputs, int neurons)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Batch<T> batch = Batch<T>.Draw(rows, inputs, neurons);
        T[] p = Garbage<T>(rows * inputs);

        BatchKernels.Propagate<T>(batch.Weights, batch.Deltas, p, rows);

        string what = $"Propagate<{typeof(T).Name}> {rows} rows, {inputs} inputs ← {neurons} neurons: P";
        var expected = new double[rows * inputs];
        var scale = new double[rows * inputs];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < inputs; i++)
            {
                double sum = 0, magnitude = 0;
                for (int j = 0; j < neurons; j++)
                {
                    double term = D(batch.Deltas[(r * neurons) + j]) * D(batch.Weights[(j * inputs) + i]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                expected[(r * inputs) + i] = sum;
                scale[(r * inputs) + i] = magnitude;
            }
        }

        AssertClose(expected, scale, p, inputs, what);
    }

    private static void AssertAccumulate<T>(int rows, int inputs, int neurons)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Batch<T> batch = Batch<T>.Draw(rows, inputs, neurons);
        T[] dw = [.. batch.WeightGradient];
        T[] db = [.. batch.BiasGradient];

        BatchKernels.Accumulate<T>(dw, db, batch.Deltas, batch.Inputs, rows);

        string what = $"Accumulate<{typeof(T).Name}> {rows} rows, {inputs} inputs → {neurons} neurons";
        if (rows == 0)
        {
            AssertBitIdentical<T>(batch.WeightGradient, dw, what + ": dW");
            AssertBitIdentical<T>(batch.BiasGradient, db, what + ": db");
            return;
        }

        var expectedW = new double[neurons * inputs];
        var scaleW = new double[neurons * inputs];
        var expectedB = new double[neurons];
        var scaleB = new double[neurons];
        for (int j = 0; j < neurons; j++)
        {
            expectedB[j] = D(batch.BiasGradient[j]);
            scaleB[j] = Math.Abs(expectedB[j]);
            for (int r = 0; r < rows; r++)
            {
                double delta = D(batch.Deltas[(r * neurons) + j]);
                expectedB[j] += delta;
                scaleB[j] += Math.Abs(delta);
            }

            for (int i = 0; i < inputs; i++)
            {
                int k = (j * inputs) + i;
                double sum = D(batch.WeightGradient[k]), magnitude = Math.Abs(sum);
                for (int r = 0; r < rows; r++)
                {
                    double term = D(batch.Deltas[(r * neurons) + j]) * D(batch.Inputs[(r * inputs) + i]);
                    sum += term;
                    magnitude += Math.Abs(term);
                }

                expectedW[k] = sum;
                scaleW[k] = magnitude;
            }
        }

        AssertClose(expectedW, scaleW, dw, inputs, what + ": dW");
        AssertClose(expectedB, scaleB, db, neurons, what + ": db");
    }

    /// <summary>Each kernel twice on the same arguments (Accumulate from the same starting gradient): the same bits.</summary>
    private static void AssertRepeatable<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach ((int rows, int inputs, int neurons) in new[] { (13, 17, 9), (37, 100, 10), (5, 784, 12), (32, 64, 32), (7, 3, 40) })
        {
            Batch<T> batch = Batch<T>.Draw(rows, inputs, neurons);
            string what = $"<{typeof(T).Name}> {rows} rows, {inputs} inputs, {neurons} neurons";

            T[] z1 = new T[rows * neurons], z2 = Garbage<T>(rows * neurons);
            BatchKernels.Forward<T>(batch.Weights, batch.Biases, batch.Inputs, z1, rows);
            BatchKernels.Forward<T>(batch.Weights, batch.Biases, batch.Inputs, z2, rows);
            AssertBitIdentical<T>(z1, z2, "Forward" + what);

            T[] p1 = new T[rows * inputs], p2 = Garbage<T>(rows * inputs);
            BatchKernels.Propagate<T>(batch.Weights, batch.Deltas, p1, rows);
            BatchKernels.Propagate<T>(batch.Weights, batch.Deltas, p2, rows);
            AssertBitIdentical<T>(p1, p2, "Propagate" + what);

            T[] dw1 = [.. batch.WeightGradient], dw2 = [.. batch.WeightGradient];
            T[] db1 = [.. batch.BiasGradient], db2 = [.. batch.BiasGradient];
            BatchKernels.Accumulate<T>(dw1, db1, batch.Deltas, batch.Inputs, rows);
            BatchKernels.Accumulate<T>(dw2, db2, batch.Deltas, batch.Inputs, rows);
            AssertBitIdentical<T>(dw1, dw2, "Accumulate" + what + ": dW");
            AssertBitIdentical<T>(db1, db2, "Accumulate" + what + ": db");
        }
    }

    private static void AssertRejectsWrongShapes<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rows = 3, inputs = 5, neurons = 4;
        T[] w = new T[neurons * inputs], b = new T[neurons], x = new T[rows * inputs], z = new T[rows * neurons];
        T[] d = new T[rows * neurons], p = new T[rows * inputs];
        foreach (int by in new[] { -1, 1 })
        {
            AssertRejects(() => BatchKernels.Forward<T>(new T[(neurons * inputs) + by], b, x, z, rows));
            AssertRejects(() => BatchKernels.Forward<T>(w, b, new T[(rows * inputs) + by], z, rows));
            AssertRejects(() => BatchKernels.Forward<T>(w, b, x, new T[(rows * neurons) + by], rows));
            AssertRejects(() => BatchKernels.Forward<T>(w, b, x, z, rows + by));
            AssertRejects(() => BatchKernels.Propagate<T>(new T[(neurons * inputs) + by], d, p, rows));
            AssertRejects(() => BatchKernels.Propagate<T>(w, d, new T[(rows * inputs) + by], rows));
            AssertRejects(() => BatchKernels.Propagate<T>(w, d, p, rows + by));
            AssertRejects(() => BatchKernels.Accumulate<T>(new T[(neurons * inputs) + by], new T[neurons], d, x, rows));
            AssertRejects(() => BatchKernels.Accumulate<T>(new T[neurons * inputs], new T[neurons], new T[(rows * neurons) + by], x, rows));
            AssertRejects(() => BatchKernels.Accumulate<T>(new T[neurons * inputs], new T[neurons], d, new T[(rows * inputs) + by], rows));
        }

        AssertRejects(() => BatchKernels.Forward<T>(w, b, x, z, -1));
        AssertRejects(() => BatchKernels.Accumulate<T>(new T[neurons * inputs], new T[neurons], d, x, -1));

        // The spans of a well-formed layer pass.
        BatchKernels.Forward<T>(w, b, x, z, rows);
        BatchKernels.Propagate<T>(w, d, p, rows);
        BatchKernels.Accumulate<T>(new T[neurons * inputs], new T[neurons], d, x, rows);
    }

    private static void AssertRejects(Action action)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(action);
        Assert.False(string.IsNullOrWhiteSpace(exception.Message));
    }

    /// <summary>
    /// One layer's spans over a batch, values in [−1, 1) from a seed fixed by the shape; every fifth δ is exactly 0
    /// (a ReLU unit that did not fire) and the gradients start from non-zero values.
    /// </summary>
    private sealed record Batch<T>(T[] Weights, T[] Biases, T[] Inputs, T[] Deltas, T[] WeightGradient, T[] BiasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Batch<T> Draw(int rows, int inputs, int neurons)
        {
            var random = new Random((1_000_000 * rows) + (1_000 * inputs) + neurons);
            T[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => T.CreateChecked(Samples.Uniform(random, -1, 1)))];
            T[] deltas = Values(rows * neurons);
            for (int k = 4; k < deltas.Length; k += 5)
            {
                deltas[k] = T.Zero;
            }

            return new(Values(neurons * inputs), Values(neurons), Values(rows * inputs), deltas, Values(neurons * inputs), Values(neurons));
        }
    }

    private static void Run(Precision precision, Action single, Action @double)
        => (precision == Precision.Single ? single : @double)();

    private static double D<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        => double.CreateChecked(value);

    /// <summary>What a kernel must overwrite: NaN and huge values, so a sum into it instead of a store shows.</summary>
    private static T[] Garbage<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, length).Select(i => i % 2 == 0 ? T.NaN : T.CreateChecked(-1e30))];

    /// <summary>Every element within its precision's tolerance, relative to its scale (the sum of its terms' magnitudes).</summary>
    private static void AssertClose<T>(double[] expected, double[] scale, T[] actual, int width, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        double tolerance = typeof(T) == typeof(float) ? SingleTolerance : DoubleTolerance;
        for (int k = 0; k < actual.Length; k++)
        {
            NumericAssert.Close(expected[k], D(actual[k]), tolerance, Math.Max(scale[k], double.Epsilon), $"{what}[{k / width}, {k % width}]");
        }
    }

    private static void AssertBitIdentical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            if (!MemoryMarshal.AsBytes(expected.Slice(k, 1)).SequenceEqual(MemoryMarshal.AsBytes(actual.Slice(k, 1))))
            {
                Assert.Fail($"{what}[{k}]: expected {expected[k]}, actual {actual[k]} (bit for bit).");
            }
        }
    }
}
