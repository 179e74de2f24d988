using Backprop.Tests.Networks;
using Backprop.Tests.Numerics;
using Backprop.Tests.Reference;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// Backward's gradient against finite differences of ComputeLoss: the generated δ formulas (fused
/// output δ, hidden δ, weight and bias gradients) are checked against nothing but the loss itself.
/// </summary>
public class GradientTests
{
    private const int SamplesPerNetwork = 4;

    /// <summary>The largest relative error allowed between Backward and the finite differences.</summary>
    private const double Tolerance = 1e-6;

    /// <summary>
    /// Below this magnitude the error is measured absolutely (so at most 10⁻¹²): finite differences
    /// themselves carry about 10⁻¹³·|L| of rounding (see <see cref="FiniteDifferences"/>), so no
    /// difference quotient can confirm a 10⁻⁸ gradient to six digits. A wrong δ is off by the size of
    /// the gradient itself, far above this.
    /// </summary>
    private const double Floor = 1e-6;

    public static TheoryData<string> CrossEntropyNames
        => new(NetworkRegistry.DoubleNetworks.Where(c => c.Architecture.Loss == Loss.CrossEntropy).Select(c => c.Name));

    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void Backward_matches_finite_differences_of_ComputeLoss(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        (_, IReadOnlyList<Sample> samples) = Samples.Setup(instance, network.Architecture, seed: 11, SamplesPerNetwork);
        for (int n = 0; n < samples.Count; n++)
        {
            AssertGradientMatchesFiniteDifferences(network, instance, samples[n], $"sample {n}");
        }
    }

    /// <summary>
    /// The fused softmax · cross-entropy δ is yₖ·Σⱼtⱼ − tₖ, exact for any target, not yₖ − tₖ, which is
    /// only right when the targets sum to 1.
    /// </summary>
    [Theory]
    [MemberData(nameof(CrossEntropyNames))]
    public void CrossEntropy_gradient_is_exact_for_targets_that_do_not_sum_to_one(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        (_, IReadOnlyList<Sample> samples) = Samples.Setup(instance, network.Architecture, seed: 21, count: 3);
        var random = new Random(23);
        int outputs = network.Architecture.OutputSize;
        double[][] targets =
        [
            Samples.Probabilities(outputs, 1.7, random),
            Samples.Probabilities(outputs, 0.4, random),
            Samples.Probabilities(outputs, 1, random).Select((t, k) => k == 0 ? t - 0.8 : t).ToArray(),
        ];

        for (int n = 0; n < targets.Length; n++)
        {
            Assert.True(Math.Abs(targets[n].Sum() - 1) > 0.1, "The target must not sum to 1.");
            var sample = new Sample(samples[n].Input, targets[n]);
            AssertGradientMatchesFiniteDifferences(network, instance, sample, $"target summing to {targets[n].Sum():F2}");
        }
    }

    /// <summary>
    /// The samples of <see cref="Backward_matches_finite_differences_of_ComputeLoss"/> reach both sides of every
    /// kink, and stay <see cref="Samples.KinkMargin"/> away from it: ELU's pre-activations are negative (eᶻ − 1) and
    /// positive; Huber's errors |yₖ − tₖ| lie below 1 (½r²) and beyond (|r| − ½); the mean absolute error's
    /// errors yₖ − tₖ are negative and positive.
    /// </summary>
    [Fact]
    public void The_gradient_samples_reach_both_sides_of_every_kink_and_keep_off_it()
    {
        var elu = new List<double>();
        var huber = new List<double>();
        var absolute = new List<double>();
        foreach (DoubleNetworkCase network in NetworkRegistry.DoubleNetworks)
        {
            Architecture architecture = network.Architecture;
            INetwork<double> instance = network.Create();
            (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(instance, architecture, seed: 11, SamplesPerNetwork);
            var reference = new ReferenceNetwork(architecture, parameters);
            foreach (Sample sample in samples)
            {
                ReferenceNetwork.Pass pass = reference.Run(sample.Input);
                elu.AddRange(architecture.Layers.SelectMany((layer, l) => layer.Activation == Activation.ELU ? pass.PreActivations[l] : []));
                double[] errors = [.. pass.Output.Select((y, k) => y - sample.Target[k])];
                if (architecture.Loss == Loss.Huber)
                {
                    huber.AddRange(errors);
                }
                else if (architecture.Loss == Loss.MeanAbsoluteError)
                {
                    absolute.AddRange(errors);
                }
            }
        }

        Assert.Contains(elu, z => z < 0);
        Assert.Contains(elu, z => z > 0);
        Assert.All(elu, z => Assert.True(Math.Abs(z) >= Samples.KinkMargin, $"An ELU pre-activation is {z}."));
        Assert.Contains(huber, r => Math.Abs(r) < 1);
        Assert.Contains(huber, r => Math.Abs(r) > 1);
        Assert.All(huber, r => Assert.True(Math.Abs(Math.Abs(r) - 1) >= Samples.KinkMargin, $"A Huber error is {r}."));
        Assert.Contains(absolute, r => r < 0);
        Assert.Contains(absolute, r => r > 0);
        Assert.All(absolute, r => Assert.True(Math.Abs(r) >= Samples.KinkMargin, $"A mean absolute error's error is {r}."));
    }

    [Fact]
    public void Every_parameter_of_the_looped_48_24_4_network_is_checked()
    {
        Architecture architecture = NetworkRegistry.GetDouble(nameof(KernelCrossEntropy48To24To4)).Architecture;

        Assert.Equal(Enumerable.Range(0, architecture.ParameterCount), ParameterSelection.For(architecture));
    }

    [Fact]
    public void The_784_128_10_sample_covers_every_row_and_bias_of_every_layer()
    {
        Architecture architecture = NetworkRegistry.GetDouble(nameof(KernelCrossEntropy784To128To10)).Architecture;

        var selected = ParameterSelection.For(architecture).ToHashSet();

        Assert.True(selected.Count >= 1_500, $"Only {selected.Count} parameters are checked.");
        foreach (LayerLayout layer in architecture.Layouts)
        {
            for (int j = 0; j < layer.Size; j++)
            {
                Assert.Contains(layer.BiasIndex(j), selected);
                int weightsInRow = Enumerable.Range(0, layer.FanIn).Count(i => selected.Contains(layer.WeightIndex(j, i)));
                Assert.True(weightsInRow >= 10, $"Layer {layer.Number}, row {j}: only {weightsInRow} weights are checked.");
            }

            int columnsReached = Enumerable.Range(0, layer.FanIn)
                .Count(i => Enumerable.Range(0, layer.Size).Any(j => selected.Contains(layer.WeightIndex(j, i))));
            Assert.True(columnsReached >= layer.FanIn / 2, $"Layer {layer.Number}: the sample reaches only {columnsReached} of {layer.FanIn} inputs.");
        }
    }

    private static void AssertGradientMatchesFiniteDifferences(DoubleNetworkCase network, INetwork<double> instance, Sample sample, string what)
    {
        Architecture architecture = network.Architecture;
        var gradient = new double[architecture.ParameterCount];
        double loss = instance.Backward(sample.Input, sample.Target, gradient);
        NumericAssert.Close(instance.ComputeLoss(sample.Input, sample.Target), loss, 1e-12, 1e-12, $"{network}, {what}: the loss Backward returns");

        IReadOnlyList<int> indices = ParameterSelection.For(architecture);
        double[] numeric = FiniteDifferences.Gradient(instance, indices, sample.Input, sample.Target);
        double[] analytic = indices.Select(i => gradient[i]).ToArray();

        Assert.True(analytic.Any(g => Math.Abs(g) > 1e-4), $"{network}, {what}: the gradient is (almost) zero, so the check would prove nothing.");
        NumericAssert.AllClose(
            numeric,
            analytic,
            Tolerance,
            Floor,
            $"{network}, {what}: Backward (actual) vs finite differences (expected)",
            n => architecture.DescribeParameter(indices[n]));
    }
}
