using System;

namespace Backprop.Training;

/// <summary>
/// Multiplies the rate by γ every epoch: α·γ^(epoch − 1) for epochs from 1, PyTorch's <c>ExponentialLR</c> stepped
/// once per epoch.
/// </summary>
/// <example><c>new ExponentialDecay(gamma: 0.95)</c>: α, 0.95·α, 0.9025·α, …</example>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates an exponential decay.</summary>
    /// <param name="gamma">The factor per epoch, in (0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is outside (0, 1].</exception>
    public ExponentialDecay(double gamma) => Gamma = UnitFactor(gamma, nameof(gamma), oneAllowed: true);

    /// <summary>The factor γ per epoch.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double GetLearningRate(double baseRate, int epoch, long step)
        => baseRate * Math.Pow(Gamma, Math.Max(epoch, 1) - 1);
}
