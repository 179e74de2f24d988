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
    /// Sets the network's parameters for a test and draws <paramref name="count"/> samples for them (see
    /// <see cref="SetParameters"/> and <see cref="Draw"/>). Parameters that leave a ReLU layer off for
    /// every input are redrawn from the next seed. Returns a copy of the parameters and the samples.
    /// </summary>
    public static (double[] Parameters, IReadOnlyList<Sample> Samples) Setup(INetwork<double> network, Architecture architecture, int seed, int count)
    {
        const int parameterSeeds = 20;
        for (int attempt = 0; attempt < parameterSeeds; attempt++)
        {
            double[] parameters = SetParameters(network, architecture, seed + (7919 * attempt));
            if (TryDraw(architecture, parameters, count, seed, KinkMargin, out IReadOnlyList<Sample> samples))
            {
                return (parameters, samples);
            }
        }

        throw new InvalidOperationException($"No parameters in {parameterSeeds} seeds keep {architecture} away from ReLU kinks.");
    }

    /// <summary>
    /// Sets the network's parameters for a test: the generated initialisation for the weights, then
    /// non-zero biases in ±0.5 (written by the documented layout), so no parameter is special.
    /// Returns a copy of the parameters.
    /// </summary>
    private static double[] SetParameters(INetwork<double> network, Architecture architecture, int seed)
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
    /// <paramref name="kinkMargin"/> of 0, or every neuron of a ReLU layer is off (its gradient would be
    /// trivially 0). Checks that do not differentiate numerically can pass a margin of 0.
    /// </summary>
    public static IReadOnlyList<Sample> Draw(Architecture architecture, double[] parameters, int count, int seed, double kinkMargin = KinkMargin)
        => TryDraw(architecture, parameters, count, seed, kinkMargin, out IReadOnlyList<Sample> samples)
            ? samples
            : throw new InvalidOperationException($"No input keeps {architecture} away from ReLU kinks with these parameters.");

    /// <summary>
    /// A target for the loss: any real values for the squared errors; values in [0, 1] for binary
    /// cross-entropy (hard 0/1 labels in every third sample); for cross-entropy a one-hot vector in every
    /// third sample and a random probability vector otherwise.
    /// </summary>
    private static double[] Target(Loss loss, int outputCount, Random random, int sampleIndex)
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

    private static bool TryDraw(Architecture architecture, double[] parameters, int count, int seed, double kinkMargin, out IReadOnlyList<Sample> samples)
    {
        const int attemptsPerInput = 1_000;
        var random = new Random(seed);
        var reference = new ReferenceNetwork(architecture, parameters);
        var drawn = new List<Sample>(count);
        samples = drawn;
        for (int n = 0; n < count; n++)
        {
            double[]? input = null;
            for (int attempt = 0; attempt < attemptsPerInput && input is null; attempt++)
            {
                double[] candidate = Enumerable.Range(0, architecture.InputSize).Select(_ => Uniform(random, -1, 1)).ToArray();
                input = IsAwayFromKinks(architecture, reference.Run(candidate), kinkMargin) ? candidate : null;
            }

            if (input is null)
            {
                return false;
            }

            drawn.Add(new Sample(input, Target(architecture.Loss, architecture.OutputSize, random, n)));
        }

        return true;
    }

    private static bool IsAwayFromKinks(Architecture architecture, ReferenceNetwork.Pass pass, double kinkMargin)
    {
        for (int l = 0; l < architecture.Layers.Count; l++)
        {
            Activation activation = architecture.Layers[l].Activation;
            double[] z = pass.PreActivations[l];
            if (activation is Activation.ReLU or Activation.LeakyReLU && z.Any(value => Math.Abs(value) < kinkMargin))
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
