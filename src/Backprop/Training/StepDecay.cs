using System;

namespace Backprop.Training;

/// <summary>
/// Multiplies the rate by γ every <c>stepSize</c> epochs: α·γ^⌊(epoch − 1)/stepSize⌋ for epochs from 1, PyTorch's
/// <c>StepLR</c> stepped once per epoch.
/// </summary>
/// <example><c>new StepDecay(stepSize: 10, gamma: 0.5)</c>: α for epochs 1–10, α/2 for 11–20, α/4 for 21–30, …</example>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates a step decay.</summary>
    /// <param name="stepSize">The number of epochs between two decays, at least 1.</param>
    /// <param name="gamma">The factor, in (0, 1]; 0.1 unless given, PyTorch's default.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> is less than 1, or <paramref name="gamma"/> is outside (0, 1].</exception>
    public StepDecay(int stepSize, double gamma = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stepSize, 1);
        StepSize = stepSize;
        Gamma = UnitFactor(gamma, nameof(gamma), oneAllowed: true);
    }

    /// <summary>The number of epochs between two decays.</summary>
    public int StepSize { get; }

    /// <summary>The factor γ applied every <see cref="StepSize"/> epochs.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double GetLearningRate(double baseRate, int epoch, long step)
        => baseRate * Math.Pow(Gamma, (Math.Max(epoch, 1) - 1) / StepSize);
}
