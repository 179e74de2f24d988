using System.Numerics;
using Backprop.Tests.Numerics;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The batched methods (ForwardBatch, BackwardBatch, and TrainBatch, which runs on BackwardBatch's body) against
/// finite differences and against the per-row methods, whose own checks are in <see cref="GradientTests"/> and
/// <see cref="ForwardTests"/>. The batched code runs blocks of up to 64 rows through matrix-product kernels, so it
/// sums in another order: it must agree to rounding, for any number of rows, a partial last block included.
/// </summary>
public class BatchTests
{
    /// <summary>Row counts that take every path: none, one, a partial block, a whole block, a block and a part.</summary>
    public static readonly int[] RowCounts = [0, 1, 5, 64, 67, 130];

    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void BackwardBatch_matches_finite_differences_of_the_summed_loss(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        (_, IReadOnlyList<Sample> samples) = Samples.Setup(instance, network.Architecture, seed: 31, count: 3);
        Architecture architecture = network.Architecture;
        (double[] inputs, double[] targets) = Concatenate(samples);

        var gradient = new double[architecture.ParameterCount];
        double lossSum = instance.BackwardBatch(inputs, targets, gradient);

        NumericAssert.Close(samples.Sum(s => instance.ComputeLoss(s.Input, s.Target)), lossSum, 1e-12, 1e-12, $"{network}: the loss sum BackwardBatch returns");
        IReadOnlyList<int> indices = ParameterSelection.For(architecture);
        var numeric = new double[indices.Count];
        foreach (Sample sample in samples)
        {
            double[] row = FiniteDifferences.Gradient(instance, indices, sample.Input, sample.Target);
            for (int n = 0; n < numeric.Length; n++)
            {
                numeric[n] += row[n];
            }
        }

        double[] analytic = [.. indices.Select(i => gradient[i])];
        Assert.True(analytic.Any(g => Math.Abs(g) > 1e-4), $"{network}: the gradient is (almost) zero, so the check would prove nothing.");
        NumericAssert.AllClose(
            numeric,
            analytic,
            1e-6,
            1e-6,
            $"{network}: BackwardBatch of 3 rows (actual) vs finite differences of the summed loss (expected)",
            n => architecture.DescribeParameter(indices[n]));
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void ForwardBatch_gives_each_row_what_Forward_gives_it(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertForwardBatchMatchesForward, AssertForwardBatchMatchesForward);

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void BackwardBatch_adds_the_sum_of_the_rows_gradients_and_returns_the_sum_of_their_losses(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertBackwardBatchMatchesBackward, AssertBackwardBatchMatchesBackward);

    /// <summary>Rows are independent: several threads running ForwardBatch on one network at once get what one thread gets.</summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.FloatNames), MemberType = typeof(NetworkRegistry))]
    public void ForwardBatch_is_thread_safe(string name)
    {
        INetwork<float> network = NetworkRegistry.GetFloat(name).Create();
        const int rows = 150;
        float[] inputs = RandomRows<float>(rows * network.InputCount, seed: 5);
        var expected = new float[rows * network.OutputCount];
        network.ForwardBatch(inputs, expected);

        float[][] outputs = [.. Enumerable.Range(0, 4).Select(_ => new float[expected.Length])];
        Parallel.For(0, outputs.Length, new ParallelOptions { MaxDegreeOfParallelism = outputs.Length }, t =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                network.ForwardBatch(inputs, outputs[t]);
            }
        });

        Assert.All(outputs, output => Assert.True(expected.AsSpan().SequenceEqual(output), "A thread's outputs differ from the single thread's."));
    }

    private static void AssertForwardBatchMatchesForward<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(3);
        // Relative to the outputs, or to 1 for outputs near 0: the sums' terms (inputs in ±1 by Glorot and He
        // weights) are of that size, and a sum rounds by its terms' size, not by its own.
        double tolerance = typeof(T) == typeof(double) ? 1e-12 : 1e-5;
        const double floor = 1;
        foreach (int rows in RowCounts)
        {
            T[] inputs = RandomRows<T>(rows * architecture.InputSize, seed: rows);
            var outputs = new T[rows * architecture.OutputSize];
            network.ForwardBatch(inputs, outputs);

            var expected = new double[outputs.Length];
            var row = new T[architecture.OutputSize];
            for (int r = 0; r < rows; r++)
            {
                network.Forward(inputs.AsSpan(r * architecture.InputSize, architecture.InputSize), row);
                for (int k = 0; k < row.Length; k++)
                {
                    expected[(r * row.Length) + k] = double.CreateChecked(row[k]);
                }
            }

            NumericAssert.AllClose(expected, [.. outputs.Select(double.CreateChecked)], tolerance, floor, $"{architecture}: ForwardBatch of {rows} rows (actual) vs Forward per row (expected)");
        }
    }

    private static void AssertBackwardBatchMatchesBackward<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(4);
        bool isDouble = typeof(T) == typeof(double);
        foreach (int rows in RowCounts)
        {
            T[] inputs = RandomRows<T>(rows * architecture.InputSize, seed: 100 + rows);
            T[] targets = Targets<T>(architecture, rows, seed: 200 + rows);

            // Both add into a gradient that already holds values.
            T[] start = RandomRows<T>(architecture.ParameterCount, seed: 300 + rows);
            T[] batched = [.. start];
            T batchedLoss = network.BackwardBatch(inputs, targets, batched);

            T[] perRow = [.. start];
            double perRowLoss = 0;
            for (int r = 0; r < rows; r++)
            {
                perRowLoss += double.CreateChecked(network.Backward(
                    inputs.AsSpan(r * architecture.InputSize, architecture.InputSize),
                    targets.AsSpan(r * architecture.OutputSize, architecture.OutputSize),
                    perRow));
            }

            double[] expected = [.. perRow.Select(double.CreateChecked)];
            // Relative to each value, or for values near 0 to the largest gradient: a sum over rows rounds by the size
            // of its terms, and a weight's terms are as large as the gradient's largest entries.
            double scale = expected.Max(Math.Abs);
            double tolerance = isDouble ? 1e-11 : 1e-4;
            NumericAssert.Close(perRowLoss, double.CreateChecked(batchedLoss), tolerance, 1, $"{architecture}: the loss sum of {rows} rows");
            NumericAssert.AllClose(
                expected,
                [.. batched.Select(double.CreateChecked)],
                tolerance,
                scale,
                $"{architecture}: BackwardBatch of {rows} rows (actual) vs Backward per row (expected)",
                architecture.DescribeParameter);
        }
    }

    private static (double[] Inputs, double[] Targets) Concatenate(IReadOnlyList<Sample> samples)
        => ([.. samples.SelectMany(s => s.Input)], [.. samples.SelectMany(s => s.Target)]);

    private static T[] RandomRows<T>(int length, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -1, 1)))];
    }

    /// <summary>Targets the loss accepts: probabilities for the cross-entropies, values in [0, 1] otherwise.</summary>
    private static T[] Targets<T>(Architecture architecture, int rows, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var targets = new T[rows * architecture.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            double[] row = architecture.Loss == Loss.CrossEntropy
                ? Samples.Probabilities(architecture.OutputSize, 1, random)
                : [.. Enumerable.Range(0, architecture.OutputSize).Select(_ => random.NextDouble())];
            for (int k = 0; k < row.Length; k++)
            {
                targets[(r * architecture.OutputSize) + k] = T.CreateChecked(row[k]);
            }
        }

        return targets;
    }
}
