using System.Globalization;

namespace Backprop.Diagnostics;

/// <summary>
/// The outcome of <see cref="GradientCheck.Run{T}"/>: the worst disagreement between the network's
/// <see cref="INetwork{T}.Backward"/> and central differences of its <see cref="INetwork{T}.ComputeLoss"/>, and where.
/// </summary>
public sealed class GradientCheckResult
{
    internal GradientCheckResult(
        double maxRelativeError,
        int parameterIndex,
        string parameter,
        double analyticGradient,
        double numericGradient,
        double loss,
        double backwardLoss,
        int parameterCount)
    {
        MaxRelativeError = maxRelativeError;
        ParameterIndex = parameterIndex;
        Parameter = parameter;
        AnalyticGradient = analyticGradient;
        NumericGradient = numericGradient;
        Loss = loss;
        BackwardLoss = backwardLoss;
        ParameterCount = parameterCount;
    }

    /// <summary>
    /// The largest relative error over all parameters, |a − n| / max(|a|, |n|, floor), where a is Backward's ∂L/∂θᵢ
    /// and n the central difference. NaN if any gradient is NaN.
    /// </summary>
    public double MaxRelativeError { get; }

    /// <summary>The index in <see cref="INetwork{T}.Parameters"/> where <see cref="MaxRelativeError"/> occurred.</summary>
    public int ParameterIndex { get; }

    /// <summary>
    /// That parameter in the documented layout, e.g. <c>W2[1, 3] (layer 2: Dense(3, Softmax), the weight of neuron 1 for a1[3])</c>
    /// or <c>b1[0] (…)</c>; <c>parameter 17</c> when the network's <see cref="INetwork{T}.Architecture"/> is not in the generated form.
    /// </summary>
    public string Parameter { get; }

    /// <summary>Backward's ∂L/∂θ at <see cref="ParameterIndex"/>.</summary>
    public double AnalyticGradient { get; }

    /// <summary>The central difference at <see cref="ParameterIndex"/>.</summary>
    public double NumericGradient { get; }

    /// <summary>The loss from <see cref="INetwork{T}.ComputeLoss"/> at the unchanged parameters.</summary>
    public double Loss { get; }

    /// <summary>The loss <see cref="INetwork{T}.Backward"/> returned; should equal <see cref="Loss"/>.</summary>
    public double BackwardLoss { get; }

    /// <summary>The number of parameters checked: all of them.</summary>
    public int ParameterCount { get; }

    /// <summary>
    /// Whether <see cref="MaxRelativeError"/> is at most <paramref name="tolerance"/> and Backward returned the loss
    /// ComputeLoss does (to the same relative tolerance).
    /// </summary>
    /// <param name="tolerance">The largest acceptable relative error, e.g. 1e-6 for double or 1e-2 for float.</param>
    /// <returns>True when the gradient and the loss agree.</returns>
    public bool IsWithin(double tolerance)
        => MaxRelativeError <= tolerance
        && System.Math.Abs(BackwardLoss - Loss) <= tolerance * System.Math.Max(1, System.Math.Abs(Loss));

    /// <summary>A one-line summary: the worst error, where, and both values.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
        => string.Create(
            CultureInfo.InvariantCulture,
            $"Max relative error {MaxRelativeError:G3} at {Parameter} (index {ParameterIndex}): Backward {AnalyticGradient:G6}, central difference {NumericGradient:G6}; loss {Loss:G6}, Backward's loss {BackwardLoss:G6}; {ParameterCount} parameters checked.");
}
