using Backprop.Tests.Registry;

namespace Backprop.Tests.Reference;

/// <summary>
/// The straightforward implementation the generated code is checked against: plain loops over double
/// arrays, the parameters read by the documented layout, and the exact definitions of the README's tables.
/// It shares nothing with the generator or the runtime library but the enums.
/// </summary>
public sealed class ReferenceNetwork(Architecture architecture, double[] parameters)
{
    /// <summary>The slope of LeakyReLU below zero (PyTorch's default).</summary>
    public const double LeakyReLUSlope = 0.01;

    public Architecture Architecture { get; } = architecture;

    /// <summary>The pre-activations z⁽ˡ⁾ and activations a⁽ˡ⁾ of every layer, for one input.</summary>
    public sealed record Pass(double[][] PreActivations, double[][] Activations)
    {
        public double[] Output => Activations[^1];
    }

    public Pass Run(ReadOnlySpan<double> input)
    {
        if (input.Length != Architecture.InputSize)
        {
            throw new ArgumentException($"Expected {Architecture.InputSize} inputs.", nameof(input));
        }

        var preActivations = new double[Architecture.Layers.Count][];
        var activations = new double[Architecture.Layers.Count][];
        double[] previous = input.ToArray();
        foreach (LayerLayout layer in Architecture.Layouts)
        {
            var z = new double[layer.Size];
            for (int j = 0; j < layer.Size; j++)
            {
                double sum = parameters[layer.BiasIndex(j)];
                for (int i = 0; i < layer.FanIn; i++)
                {
                    sum += parameters[layer.WeightIndex(j, i)] * previous[i];
                }

                z[j] = sum;
            }

            double[] a = Activate(layer.Activation, z);
            preActivations[layer.Number - 1] = z;
            activations[layer.Number - 1] = a;
            previous = a;
        }

        return new Pass(preActivations, activations);
    }

    public double[] Forward(ReadOnlySpan<double> input) => Run(input).Output;

    public double ComputeLoss(ReadOnlySpan<double> input, ReadOnlySpan<double> target) => LossOf(Architecture.Loss, Forward(input), target);

    /// <summary>L(y, t) by its definition (no log-sum-exp, no softplus).</summary>
    public static double LossOf(Loss loss, ReadOnlySpan<double> y, ReadOnlySpan<double> t)
    {
        double sum = 0;
        for (int k = 0; k < y.Length; k++)
        {
            sum += loss switch
            {
                Loss.SumSquaredError or Loss.HalfSumSquaredError or Loss.MeanSquaredError => (t[k] - y[k]) * (t[k] - y[k]),
                Loss.CrossEntropy => -t[k] * Math.Log(y[k]),
                Loss.BinaryCrossEntropy => -((t[k] * Math.Log(y[k])) + ((1 - t[k]) * Math.Log(1 - y[k]))),
                Loss.Huber => Huber(y[k] - t[k]),
                Loss.MeanAbsoluteError => Math.Abs(y[k] - t[k]),
                _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "The reference has no definition of this loss."),
            };
        }

        return loss switch
        {
            Loss.SumSquaredError or Loss.CrossEntropy or Loss.BinaryCrossEntropy => sum,
            Loss.HalfSumSquaredError => 0.5 * sum,
            Loss.MeanSquaredError or Loss.Huber or Loss.MeanAbsoluteError => sum / y.Length,
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "The reference has no definition of this loss."),
        };
    }

    /// <summary>Huber's function with δ = 1 (PyTorch's HuberLoss): ½r² where |r| ≤ 1, |r| − ½ beyond.</summary>
    public static double Huber(double r) => Math.Abs(r) <= 1 ? 0.5 * r * r : Math.Abs(r) - 0.5;

    /// <summary>
    /// The cross-entropies from the output logits z, in the forms that stay finite when y underflows:
    /// Σₖ tₖ·(logsumexp(z) − zₖ) and Σₖ [softplus(zₖ) − tₖ·zₖ]. Mathematically equal to <see cref="LossOf"/>.
    /// </summary>
    public double ComputeLossFromLogits(ReadOnlySpan<double> input, ReadOnlySpan<double> target)
    {
        double[] z = Run(input).PreActivations[^1];
        double max = z.Max();
        double logSumExp = max + Math.Log(z.Sum(value => Math.Exp(value - max)));
        double sum = 0;
        for (int k = 0; k < z.Length; k++)
        {
            sum += Architecture.Loss switch
            {
                Loss.CrossEntropy => target[k] * (logSumExp - z[k]),
                Loss.BinaryCrossEntropy => Math.Max(z[k], 0) + Math.Log(1 + Math.Exp(-Math.Abs(z[k]))) - (target[k] * z[k]),
                _ => throw new InvalidOperationException($"{Architecture.Loss} is not computed from logits."),
            };
        }

        return sum;
    }

    public static double[] Activate(Activation activation, double[] z)
    {
        if (activation == Activation.Softmax)
        {
            double max = z.Max();
            double[] exponentials = z.Select(value => Math.Exp(value - max)).ToArray();
            double sum = exponentials.Sum();
            return exponentials.Select(value => value / sum).ToArray();
        }

        return z.Select(value => activation switch
        {
            Activation.Identity => value,
            Activation.Sigmoid => 1 / (1 + Math.Exp(-value)),
            Activation.Tanh => Math.Tanh(value),
            Activation.ReLU => value > 0 ? value : 0,
            Activation.LeakyReLU => value > 0 ? value : LeakyReLUSlope * value,
            Activation.GELU => value * ReferenceFunctions.NormalCdf(value),
            Activation.SiLU => value / (1 + Math.Exp(-value)),
            Activation.ELU => value > 0 ? value : ReferenceFunctions.ExpMinusOne(value),
            Activation.Softplus => Math.Max(value, 0) + ReferenceFunctions.LogOnePlus(Math.Exp(-Math.Abs(value))),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "The reference has no definition of this activation."),
        }).ToArray();
    }
}
