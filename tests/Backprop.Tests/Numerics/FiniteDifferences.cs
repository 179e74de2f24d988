namespace Backprop.Tests.Numerics;

/// <summary>
/// ∂L/∂θᵢ estimated from <see cref="INetwork{T}.ComputeLoss"/> alone, by perturbing one parameter in place.
/// </summary>
/// <remarks>
/// The fourth-order central difference [8(L(θ+h) − L(θ−h)) − (L(θ+2h) − L(θ−2h))] / 12h, with
/// h = 10⁻³·max(1, |θᵢ|). Its truncation error is h⁴·L⁽⁵⁾/30 ≈ 10⁻¹³; its rounding error, from the
/// loss's own last bits, is about ε·|L|/h ≈ 10⁻¹³·|L|. The second-order difference is stuck near
/// 10⁻¹⁰·|L| at its best step (h ≈ 10⁻⁶, where its rounding error ε·|L|/h takes over), which is not
/// enough for a 10⁻⁶ relative check of gradients around 10⁻⁴. The differences are taken pairwise
/// first, so a parameter that does not change the loss (a dead ReLU's weight) gives exactly 0.
/// A step moves any pre-activation by a few 10⁻³ at most, less than <see cref="Samples.KinkMargin"/>.
/// </remarks>
public static class FiniteDifferences
{
    public const double RelativeStep = 1e-3;

    public static double Derivative(INetwork<double> network, int index, ReadOnlySpan<double> input, ReadOnlySpan<double> target)
    {
        double original = network.Parameters[index];
        double h = RelativeStep * Math.Max(1, Math.Abs(original));
        try
        {
            double minus2 = LossAt(network, index, original - (2 * h), input, target);
            double minus1 = LossAt(network, index, original - h, input, target);
            double plus1 = LossAt(network, index, original + h, input, target);
            double plus2 = LossAt(network, index, original + (2 * h), input, target);
            return ((8 * (plus1 - minus1)) - (plus2 - minus2)) / (12 * h);
        }
        finally
        {
            network.Parameters[index] = original;
        }
    }

    /// <summary>The finite-difference gradient at each of <paramref name="indices"/>.</summary>
    public static double[] Gradient(INetwork<double> network, IReadOnlyList<int> indices, ReadOnlySpan<double> input, ReadOnlySpan<double> target)
    {
        var gradient = new double[indices.Count];
        for (int n = 0; n < indices.Count; n++)
        {
            gradient[n] = Derivative(network, indices[n], input, target);
        }

        return gradient;
    }

    private static double LossAt(INetwork<double> network, int index, double value, ReadOnlySpan<double> input, ReadOnlySpan<double> target)
    {
        network.Parameters[index] = value;
        return network.ComputeLoss(input, target);
    }
}
