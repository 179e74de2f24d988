using Backprop.Tests.Numerics;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The update methods against Backward (itself checked by GradientTests): TrainStep is one SGD step,
/// TrainBatch one step on the mean gradient, and Backward accumulates.
/// </summary>
public class TrainingTests
{
    private const double LearningRate = 0.05;
    private const double Tolerance = 1e-12;

    /// <summary>Losses are compared relatively down to this magnitude.</summary>
    private const double LossFloor = 1e-8;

    /// <summary>
    /// Parameters and gradient sums are O(0.1–1), and the rounding of θ − α∇ is that of its operands
    /// (about 10⁻¹⁶), not of a result that happens to cancel to near 0; so below this magnitude the error
    /// is measured absolutely (10⁻¹⁵ at most). A wrong update is off by about α∇, far above that.
    /// </summary>
    private const double ParameterFloor = 1e-3;

    /// <summary>Several steps in a row, each on a sample drawn for the parameters the previous step left.</summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void TrainStep_equals_Backward_then_an_SGD_step_and_returns_the_loss_before_it(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        (INetwork<double> trained, INetwork<double> expected, Sample first) = TwoInstances(network, seed: 41);
        for (int step = 0; step < 3; step++)
        {
            Sample sample = step == 0 ? first : Samples.Draw(network.Architecture, trained.Parameters.ToArray(), 1, seed: 42 + step, kinkMargin: 0)[0];
            var gradient = new double[network.Architecture.ParameterCount];
            double lossBefore = expected.Backward(sample.Input, sample.Target, gradient);
            double[] before = expected.Parameters.ToArray();
            SgdStep(expected.Parameters, gradient, LearningRate);

            double loss = trained.TrainStep(sample.Input, sample.Target, LearningRate);

            NumericAssert.Close(lossBefore, loss, Tolerance, LossFloor, $"{network}, step {step}: the loss TrainStep returns");
            NumericAssert.AllClose(
                expected.Parameters,
                trained.Parameters,
                Tolerance,
                ParameterFloor,
                $"{network}, step {step}: parameters after TrainStep (actual) vs after Backward and θ − α∇ (expected)",
                network.Architecture.DescribeParameter);
            Assert.NotEqual(before, trained.Parameters.ToArray());
            trained.Parameters.CopyTo(expected.Parameters);
        }
    }

    /// <summary>
    /// Batches of 3, 1 and 4 rows in a row, so a gradient left over from one batch would spoil the next; each is one block
    /// of rows, stepped in place. Then 70 rows, more than a block (at most 64), through the gradient buffer.
    /// </summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void TrainBatch_applies_the_mean_gradient_once_and_returns_the_mean_loss(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        Architecture architecture = network.Architecture;
        (INetwork<double> trained, INetwork<double> expected, _) = TwoInstances(network, seed: 43);
        int[] batchSizes = [3, 1, 4, 70];
        foreach (int rows in batchSizes)
        {
            IReadOnlyList<Sample> batch = Samples.Draw(architecture, trained.Parameters.ToArray(), rows, seed: 44 + rows, kinkMargin: 0);
            var gradientSum = new double[architecture.ParameterCount];
            double lossSum = 0;
            foreach (Sample sample in batch)
            {
                lossSum += expected.Backward(sample.Input, sample.Target, gradientSum);
            }

            double[] before = expected.Parameters.ToArray();
            SgdStep(expected.Parameters, gradientSum.Select(g => g / rows).ToArray(), LearningRate);

            double loss = trained.TrainBatch(
                batch.SelectMany(s => s.Input).ToArray(), batch.SelectMany(s => s.Target).ToArray(), LearningRate);

            NumericAssert.Close(lossSum / rows, loss, Tolerance, LossFloor, $"{network}, batch of {rows}: the loss TrainBatch returns");
            NumericAssert.AllClose(
                expected.Parameters,
                trained.Parameters,
                Tolerance,
                ParameterFloor,
                $"{network}, batch of {rows}: parameters after TrainBatch (actual) vs after θ − α·mean ∇ (expected)",
                architecture.DescribeParameter);
            Assert.NotEqual(before, trained.Parameters.ToArray());
            trained.Parameters.CopyTo(expected.Parameters);
        }
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void Backward_adds_into_the_gradient_it_is_given(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(instance, network.Architecture, seed: 51, count: 1);
        var gradient = new double[network.Architecture.ParameterCount];
        instance.Backward(samples[0].Input, samples[0].Target, gradient);
        var random = new Random(53);
        double[] accumulated = gradient.Select(_ => Samples.Uniform(random, -1, 1)).ToArray();
        double[] expected = accumulated.Zip(gradient, (sum, g) => sum + g).ToArray();

        instance.Backward(samples[0].Input, samples[0].Target, accumulated);

        NumericAssert.AllClose(
            expected,
            accumulated,
            Tolerance,
            ParameterFloor,
            $"{network}: Backward into a non-zero buffer (actual) vs buffer + gradient (expected)",
            network.Architecture.DescribeParameter);
        Assert.Equal(parameters, instance.Parameters.ToArray());
    }

    /// <summary>Two instances of the network with the same test parameters, and a sample drawn for them.</summary>
    private static (INetwork<double> First, INetwork<double> Second, Sample Sample) TwoInstances(DoubleNetworkCase network, int seed)
    {
        INetwork<double> first = network.Create();
        INetwork<double> second = network.Create();
        (_, IReadOnlyList<Sample> samples) = Samples.Setup(first, network.Architecture, seed, count: 1);
        first.Parameters.CopyTo(second.Parameters);
        return (first, second, samples[0]);
    }

    private static void SgdStep(Span<double> parameters, ReadOnlySpan<double> gradient, double learningRate)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i] -= learningRate * gradient[i];
        }
    }
}
