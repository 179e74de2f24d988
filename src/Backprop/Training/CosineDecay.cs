using System;

namespace Backprop.Training;

/// <summary>
/// Cosine annealing per optimizer step, after an optional linear warm-up: for step s from 0 (counted over the whole
/// run, across epochs),
/// <list type="bullet">
/// <item><description>s &lt; w (warm-up): α·(s + 1)/w, rising linearly to α at the last warm-up step;</description></item>
/// <item><description>then, with t = min(s − w, T): η_min + (α − η_min)·(1 + cos(π·t/T))/2, PyTorch's
/// <c>CosineAnnealingLR</c> formula (T_max = T, eta_min = η_min), held at η_min once t reaches T rather than rising
/// again (as Keras's <c>CosineDecay</c> does).</description></item>
/// </list>
/// α is the optimizer's rate when <c>Fit</c> starts, w <see cref="WarmupSteps"/>, T <see cref="DecaySteps"/> and η_min
/// <see cref="MinimumLearningRate"/>.
/// </summary>
/// <remarks>
/// The number of steps of a run is epochs × ⌈training rows / batch size⌉; pass that (less the warm-up) as
/// <c>decaySteps</c> to end the run at η_min.
/// </remarks>
/// <example><c>new CosineDecay(decaySteps: 900) { WarmupSteps = 100, MinimumLearningRate = 1e-5 }</c></example>
public sealed class CosineDecay : LearningRateSchedule
{
    private readonly int _warmupSteps;
    private readonly double _minimumLearningRate;

    /// <summary>Creates a cosine decay over <paramref name="decaySteps"/> optimizer steps after the warm-up.</summary>
    /// <param name="decaySteps">T, the steps from the end of the warm-up to η_min; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> is less than 1.</exception>
    public CosineDecay(int decaySteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(decaySteps, 1);
        DecaySteps = decaySteps;
    }

    /// <summary>T: the optimizer steps the cosine takes from α down to η_min.</summary>
    public int DecaySteps { get; }

    /// <summary>w: the steps of linear warm-up before the cosine; 0 (none) unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int WarmupSteps
    {
        get => _warmupSteps;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(WarmupSteps));
            _warmupSteps = value;
        }
    }

    /// <summary>η_min: the rate the cosine ends at; 0 unless set. Should not exceed the base rate.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double MinimumLearningRate
    {
        get => _minimumLearningRate;
        init => _minimumLearningRate = NonNegative(value, nameof(MinimumLearningRate));
    }

    /// <summary>True: the rate changes with every optimizer step.</summary>
    public override bool PerStep => true;

    /// <inheritdoc/>
    public override double GetLearningRate(double baseRate, int epoch, long step)
    {
        step = Math.Max(step, 0);
        if (step < _warmupSteps)
        {
            return baseRate * (step + 1) / _warmupSteps;
        }

        long t = Math.Min(step - _warmupSteps, DecaySteps);
        return _minimumLearningRate + ((baseRate - _minimumLearningRate) * (1 + Math.Cos(Math.PI * t / DecaySteps)) / 2);
    }
}
