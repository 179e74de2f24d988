using Backprop.Tests.Numerics;
using Backprop.Tests.Reference;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// DESIGN.md: softmax subtracts the max logit, and the cross-entropies are computed from the logits, so
/// they stay finite for any finite input, even where y itself underflows to 0 or rounds to 1.
/// </summary>
public class NumericalStabilityTests
{
    /// <summary>The output layer's weights and biases are scaled by this, pushing the logits to thousands.</summary>
    private const double LogitScale = 10_000;

    public static TheoryData<string> CrossEntropyLossNames => new(
        NetworkRegistry.DoubleNetworks
            .Where(c => c.Architecture.Loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy)
            .Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CrossEntropyLossNames))]
    public void Cross_entropies_stay_finite_and_exact_for_extreme_logits(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        Architecture architecture = network.Architecture;
        INetwork<double> instance = network.Create();
        (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(instance, architecture, seed: 71, count: 4);
        LayerLayout output = architecture.Layouts[^1];
        for (int i = output.WeightOffset; i < output.BiasOffset + output.Size; i++)
        {
            parameters[i] *= LogitScale;
        }

        parameters.CopyTo(instance.Parameters);
        var reference = new ReferenceNetwork(architecture, parameters);
        int naiveFailures = 0;
        foreach (Sample sample in samples)
        {
            double[] logits = reference.Run(sample.Input).PreActivations[^1];
            naiveFailures += double.IsFinite(reference.ComputeLoss(sample.Input, sample.Target)) ? 0 : 1;
            var gradient = new double[architecture.ParameterCount];

            double loss = instance.ComputeLoss(sample.Input, sample.Target);
            double backwardLoss = instance.Backward(sample.Input, sample.Target, gradient);
            var y = new double[architecture.OutputSize];
            instance.Forward(sample.Input, y);

            NumericAssert.Close(reference.ComputeLossFromLogits(sample.Input, sample.Target), loss, 1e-10, 1e-12, $"{network}: ComputeLoss at logits {string.Join(", ", logits)}");
            Assert.Equal(loss, backwardLoss);
            Assert.All(gradient, g => Assert.True(double.IsFinite(g), $"{network}: a gradient is {g}."));
            Assert.All(y, value => Assert.InRange(value, 0, 1));
        }

        Assert.True(naiveFailures > 0, $"{network}: the logits are not extreme enough: the loss by its definition from y stays finite.");
    }
}
