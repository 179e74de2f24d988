using Backprop.Tests.Reference;
using Backprop.Tests.Registry;

namespace Backprop.Tests.Numerics;

/// <summary>One (input, target) pair.</summary>
public sealed record Sample(double[] Input, double[] Target);

/// <summary>
/// Deterministic parameters and samples for the tests: every draw comes from a seeded <see cref="Random"/>,
/// so a failure reproduces exactly.
/// </summary>
public static class Samples
{
    /// <summary>
    /// How far every ReLU and LeakyReLU pre-activation stays from the kink at 0, so a finite-difference
    /// step (which moves a pre-activation by a few 10⁻³ at most) never crosses it.
    /// </summary>
    public const double KinkMargin = 2e-2;

    /// <summary>
    /// Sets the network's parameters for a test: the generated initialisation for the weights, then
    /// non-zero biases in ±0.5 (written by the documented layout), so no parameter is special.
    /// Returns a copy of the parameters.
    /// </summary>
    public static double[] SetParameters(INetwork<double> network, Architecture architecture, int seed)
    {
        network.InitializeParameters(seed);
        var random = new Random(seed);
        Span<double> parameters = network.Parameters;
        foreach (LayerLayout layer in architecture.Layouts)
        {
            for (int j = 0; j < layer.Size; j++)
            {
                parameters[layer.BiasIndex(j)] = Uniform(random, -0.5, 0.5);
            }
        }

        return parameters.ToArray();
    }

    /// <summary>
    /// <paramref name="count"/> samples with inputs in [−1, 1) and targets that suit the loss (see
    /// <see cref="Target"/>). An input is redrawn while any ReLU-family pre-activation lies within
    /// <see cref="KinkMargin"/> of 0, or every neuron of a ReLU layer is off (its gradient would be trivially 0).
    /// </summary>
    public static IReadOnlyList<Sample> Draw(Architecture architecture, double[] parameters, int count, int seed)
    {
        var random = new Random(seed);
        var reference = new ReferenceNetwork(architecture, parameters);
        var samples = new List<Sample>(count);
        for (int n = 0; n < count; n++)
        {
            samples.Add(new Sample(DrawInput(reference, random), Target(architecture.Loss, architecture.OutputSize, random, n)));
        }

        return samples;
    }

    /// <summary>
    /// A target for the loss: any real values for the squared errors; values in [0, 1] for binary
    /// cross-entropy (hard 0/1 labels in every third sample); for cross-entropy a one-hot vector in every
    /// third sample and a random probability vector otherwise.
    /// </summary>
    public static double[] Target(Loss loss, int outputCount, Random random, int sampleIndex)
    {
        var target = new double[outputCount];
        switch (loss)
        {
            case Loss.CrossEntropy when sampleIndex % 3 == 0:
                target[random.Next(outputCount)] = 1;
                break;
            case Loss.CrossEntropy:
                return Probabilities(outputCount, 1, random);
            case Loss.BinaryCrossEntropy:
                for (int k = 0; k < outputCount; k++)
                {
                    target[k] = sampleIndex % 3 == 0 ? random.Next(2) : random.NextDouble();
                }

                break;
            default:
                for (int k = 0; k < outputCount; k++)
                {
                    target[k] = Uniform(random, -1.5, 1.5);
                }

                break;
        }

        return target;
    }

    /// <summary>Non-negative values that sum to <paramref name="sum"/> (a probability vector when it is 1).</summary>
    public static double[] Probabilities(int count, double sum, Random random)
    {
        double[] weights = Enumerable.Range(0, count).Select(_ => 0.05 + random.NextDouble()).ToArray();
        double total = weights.Sum();
        return weights.Select(w => w * sum / total).ToArray();
    }

    public static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());

    private static double[] DrawInput(ReferenceNetwork reference, Random random)
    {
        const int attempts = 10_000;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            double[] input = Enumerable.Range(0, reference.Architecture.InputSize).Select(_ => Uniform(random, -1, 1)).ToArray();
            if (IsAwayFromKinks(reference.Architecture, reference.Run(input)))
            {
                return input;
            }
        }

        throw new InvalidOperationException(
            $"No input in {attempts} attempts keeps {reference.Architecture} away from ReLU kinks; change its test parameters.");
    }

    private static bool IsAwayFromKinks(Architecture architecture, ReferenceNetwork.Pass pass)
    {
        for (int l = 0; l < architecture.Layers.Count; l++)
        {
            Activation activation = architecture.Layers[l].Activation;
            double[] z = pass.PreActivations[l];
            if (activation is Activation.ReLU or Activation.LeakyReLU && z.Any(value => Math.Abs(value) < KinkMargin))
            {
                return false;
            }

            if (activation == Activation.ReLU && z.All(value => value <= 0))
            {
                return false;
            }
        }

        return true;
    }
}
