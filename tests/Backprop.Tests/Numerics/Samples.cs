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
    /// How far every ReLU, LeakyReLU and ELU pre-activation stays from the kink at 0, and every error yₖ − tₖ
    /// from the kink of its loss (0 for the mean absolute error, ±1 for Huber's loss), so a finite-difference
    /// step (which moves a pre-activation or an output by a few 10⁻³ at most) never crosses it. ELU and Huber's
    /// loss have a continuous first derivative there, but a jump in the second, which a difference quotient
    /// across it turns into an error of the order of the step: far above the 10⁻⁶ checked.
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
    /// <see cref="Target"/>). An input is redrawn while any ReLU, LeakyReLU or ELU pre-activation lies within
    /// <paramref name="kinkMargin"/> of 0, or every neuron of a ReLU layer is off (its gradient would be
    /// trivially 0); a target of mean absolute error or Huber's loss is redrawn, one output at a time, while
    /// the output lies within <paramref name="kinkMargin"/> of the loss's kink. Checks that do not
    /// differentiate numerically can pass a margin of 0.
    /// </summary>
    public static IReadOnlyList<Sample> Draw(Architecture architecture, double[] parameters, int count, int seed, double kinkMargin = KinkMargin)
        => TryDraw(architecture, parameters, count, seed, kinkMargin, out IReadOnlyList<Sample> samples)
            ? samples
            : throw new InvalidOperationException($"No input keeps {architecture} away from ReLU kinks with these parameters.");

    /// <summary>
    /// A target for the loss: any real values (in ±1.5) for the squared errors, Huber's loss and mean absolute
    /// error; values in [0, 1] for binary cross-entropy (hard 0/1 labels in every third sample); for
    /// cross-entropy a one-hot vector in every third sample and a random probability vector otherwise.
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
            case Loss.SumSquaredError or Loss.HalfSumSquaredError or Loss.MeanSquaredError or Loss.Huber or Loss.MeanAbsoluteError:
                for (int k = 0; k < outputCount; k++)
                {
                    target[k] = RealTarget(random);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(loss), loss, "No targets are defined for this loss.");
        }

        return target;
    }

    private static double RealTarget(Random random) => Uniform(random, -1.5, 1.5);

    /// <summary>
    /// Whether the loss has a kink within <paramref name="margin"/> of the output error r = yₖ − tₖ: mean
    /// absolute error at r = 0, Huber's loss at |r| = 1 (δ = 1). The other losses are smooth.
    /// </summary>
    private static bool IsNearLossKink(Loss loss, double error, double margin) => loss switch
    {
        Loss.MeanAbsoluteError => Math.Abs(error) < margin,
        Loss.Huber => Math.Abs(Math.Abs(error) - 1) < margin,
        Loss.SumSquaredError or Loss.HalfSumSquaredError or Loss.MeanSquaredError or Loss.CrossEntropy or Loss.BinaryCrossEntropy => false,
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown loss: where are its kinks?"),
    };

    /// <summary>
    /// Whether the target makes the whole gradient exactly 0 through a softmax output: its Jacobian maps an output
    /// gradient gₖ = ∂L/∂yₖ that is the same for every k to δₖ = yₖ(gₖ − Σⱼgⱼyⱼ) = 0, the outputs summing to 1. Huber's
    /// loss does that whenever every error yₖ − tₖ lies beyond 1 on the same side (gₖ = ±1/n), the mean absolute
    /// error whenever every error has the same sign, which for outputs in (0, 1) and targets in ±1.5 is common. A
    /// target of one output is left alone: a single softmax output is always 1 and its gradient always 0.
    /// </summary>
    private static bool SoftmaxGradientVanishes(Architecture architecture, double[] y, double[] t)
    {
        if (architecture.OutputActivation != Activation.Softmax || y.Length < 2)
        {
            return false;
        }

        IEnumerable<double> gradient = architecture.Loss switch
        {
            Loss.Huber => y.Select((value, k) => Math.Clamp(value - t[k], -1, 1)),
            Loss.MeanAbsoluteError => y.Select((value, k) => (double)Math.Sign(value - t[k])),
            Loss.SumSquaredError or Loss.HalfSumSquaredError or Loss.MeanSquaredError => y.Select((value, k) => value - t[k]),
            Loss.CrossEntropy => [],
            Loss.BinaryCrossEntropy => throw new InvalidOperationException("Binary cross-entropy takes a sigmoid output."),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture.Loss, "Unknown loss: what is its gradient?"),
        };
        return gradient.Distinct().Count() == 1;
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
            double[] output = [];
            for (int attempt = 0; attempt < attemptsPerInput && input is null; attempt++)
            {
                double[] candidate = Enumerable.Range(0, architecture.InputSize).Select(_ => Uniform(random, -1, 1)).ToArray();
                ReferenceNetwork.Pass pass = reference.Run(candidate);
                (input, output) = IsAwayFromKinks(architecture, pass, kinkMargin) ? (candidate, pass.Output) : (null, output);
            }

            if (input is null)
            {
                return false;
            }

            double[] target;
            do
            {
                target = Target(architecture.Loss, architecture.OutputSize, random, n);
                for (int k = 0; k < target.Length; k++)
                {
                    // Redrawn in ±1.5 (these losses take any real target), where the kinks cover at most 0.08 of the range of 3.
                    while (kinkMargin > 0 && IsNearLossKink(architecture.Loss, output[k] - target[k], kinkMargin))
                    {
                        target[k] = RealTarget(random);
                    }
                }
            }
            while (SoftmaxGradientVanishes(architecture, output, target));

            drawn.Add(new Sample(input, target));
        }

        return true;
    }

    private static bool IsAwayFromKinks(Architecture architecture, ReferenceNetwork.Pass pass, double kinkMargin)
    {
        for (int l = 0; l < architecture.Layers.Count; l++)
        {
            Activation activation = architecture.Layers[l].Activation;
            double[] z = pass.PreActivations[l];
            if (HasKinkAtZero(activation) && z.Any(value => Math.Abs(value) < kinkMargin))
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

    /// <summary>Whether g′ jumps at z = 0 (ReLU, LeakyReLU) or g″ does (ELU, α = 1); the other activations are smooth.</summary>
    private static bool HasKinkAtZero(Activation activation) => activation switch
    {
        Activation.ReLU or Activation.LeakyReLU or Activation.ELU => true,
        Activation.Identity or Activation.Sigmoid or Activation.Tanh or Activation.Softmax or Activation.GELU or Activation.SiLU or Activation.Softplus => false,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation: where are its kinks?"),
    };
}
