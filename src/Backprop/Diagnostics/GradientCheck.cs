using System;
using System.Globalization;
using System.Numerics;
using Backprop.CompilerServices;
using Backprop.Internal;

namespace Backprop.Diagnostics;

/// <summary>
/// Checks a network's <see cref="INetwork{T}.Backward"/> against central finite differences of its own
/// <see cref="INetwork{T}.ComputeLoss"/>, parameter by parameter: the test that any hand-written or generated
/// backpropagation should pass.
/// </summary>
/// <example>
/// <code>
/// GradientCheckResult check = GradientCheck.Run(network, input, target);
/// if (!check.IsWithin(1e-6))
/// {
///     Console.WriteLine(check); // Max relative error 0.5 at b2[0] (layer 2, …): Backward …, central difference …
/// }
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>
    /// Computes ∂L/∂θ with <see cref="INetwork{T}.Backward"/> and, for every parameter θᵢ, the central difference
    /// (L(θᵢ + h) − L(θᵢ − h)) / 2h with <see cref="INetwork{T}.ComputeLoss"/>, and reports the worst relative error.
    /// </summary>
    /// <param name="network">The network to check. Its parameters are changed one at a time during the check and
    /// restored bit for bit before it returns (so do not use the network from another thread meanwhile).</param>
    /// <param name="input">One input of <see cref="INetwork{T}.InputCount"/> values.</param>
    /// <param name="target">Its target of <see cref="INetwork{T}.OutputCount"/> values.</param>
    /// <param name="options">The difference step and the error floor; null for defaults suited to the precision.</param>
    /// <returns>The worst relative error, where it occurred, and both gradients there.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    /// <remarks>
    /// Double networks check to about 1e-7 with the defaults; float networks only to about 1e-2, because the loss itself
    /// carries float rounding that the difference quotient divides by 2h. A wrong formula is usually off by the size of
    /// the gradient itself, a relative error near 1. Activations with kinks (ReLU, LeakyReLU) can disagree at a parameter
    /// whose step crosses the kink; choose inputs away from it.
    /// </remarks>
    public static GradientCheckResult Run<T>(INetwork<T> network, ReadOnlySpan<T> input, ReadOnlySpan<T> target, GradientCheckOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        NetworkGuard.Length(input.Length, network.InputCount, nameof(input));
        NetworkGuard.Length(target.Length, network.OutputCount, nameof(target));
        bool single = NumericFormat.PrecisionOf<T>() == Precision.Single;
        double step = options?.Step ?? (single ? 5e-3 : 1e-5);
        double floor = options?.Floor ?? (single ? 1e-2 : 1e-4);

        int count = network.ParameterCount;
        var gradient = new T[count];
        double backwardLoss = double.CreateTruncating(network.Backward(input, target, gradient));
        double loss = double.CreateTruncating(network.ComputeLoss(input, target));

        Span<T> parameters = network.Parameters;
        double worstError = 0;
        int worstIndex = 0;
        double worstNumeric = 0;
        for (int i = 0; i < count; i++)
        {
            T original = parameters[i];
            T h = T.CreateTruncating(step * Math.Max(1, Math.Abs(double.CreateTruncating(original))));
            T plus = original + h;
            T minus = original - h;
            double numeric;
            try
            {
                parameters[i] = plus;
                double lossPlus = double.CreateTruncating(network.ComputeLoss(input, target));
                parameters[i] = minus;
                double lossMinus = double.CreateTruncating(network.ComputeLoss(input, target));

                // Divide by the step actually taken: θ ± h is rounded to T.
                numeric = (lossPlus - lossMinus) / double.CreateTruncating(plus - minus);
            }
            finally
            {
                parameters[i] = original;
            }

            double analytic = double.CreateTruncating(gradient[i]);
            double error = Math.Abs(analytic - numeric) / Math.Max(Math.Max(Math.Abs(analytic), Math.Abs(numeric)), floor);

            // NaN is the worst of all and stays reported once found.
            if (!double.IsNaN(worstError) && (double.IsNaN(error) || error > worstError))
            {
                worstError = error;
                worstIndex = i;
                worstNumeric = numeric;
            }
        }

        string where = ArchitectureDescription.TryParse(network.Architecture)?.DescribeParameter(worstIndex)
            ?? string.Create(CultureInfo.InvariantCulture, $"parameter {worstIndex}");
        double worstAnalytic = count == 0 ? 0 : double.CreateTruncating(gradient[worstIndex]);
        return new GradientCheckResult(
            worstError,
            worstIndex,
            where,
            worstAnalytic,
            worstNumeric,
            loss,
            backwardLoss,
            count);
    }
}
