using System;

namespace Backprop.Training;

/// <summary>
/// Divides the rate when the loss stops improving, with Keras's <c>ReduceLROnPlateau</c> semantics: watches the
/// validation loss after every epoch (the training loss when the run has no validation rows); an epoch improves when
/// its loss is below the best so far by more than <see cref="MinDelta"/>; after <see cref="Patience"/> epochs in a row
/// without improvement the rate becomes max(rate·<see cref="Factor"/>, <see cref="MinimumLearningRate"/>) (only while
/// it is above that minimum), and then <see cref="Cooldown"/> epochs pass in which the count of epochs without
/// improvement stays at 0.
/// </summary>
/// <remarks>
/// The new rate applies from the next epoch; <see cref="EpochProgress.LearningRate"/> reports the rate each epoch ran
/// at. The schedule keeps state (the best loss, the counters, the reductions made), which every <c>Fit</c> resets;
/// <see cref="Reductions"/> tells how many reductions the last run made.
/// </remarks>
/// <example><c>new ReduceOnPlateau { Factor = 0.5, Patience = 5, MinimumLearningRate = 1e-5 }</c></example>
public sealed class ReduceOnPlateau : LearningRateSchedule
{
    private readonly double _factor = 0.1;
    private readonly int _patience = 10;
    private readonly int _cooldown;
    private readonly double _minDelta = 1e-4;
    private readonly double _minimumLearningRate;

    private double _baseRate = double.NaN;
    private double _rate = double.NaN;
    private double _best = double.PositiveInfinity;
    private int _wait;
    private int _cooldownCounter;

    /// <summary>The factor the rate is multiplied by, in (0, 1); 0.1 unless set (Keras's default).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside (0, 1).</exception>
    public double Factor
    {
        get => _factor;
        init => _factor = UnitFactor(value, nameof(Factor), oneAllowed: false);
    }

    /// <summary>The epochs without improvement after which the rate is reduced, at least 1; 10 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Patience
    {
        get => _patience;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Patience));
            _patience = value;
        }
    }

    /// <summary>The epochs after a reduction during which no epoch counts as without improvement; 0 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Cooldown
    {
        get => _cooldown;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(Cooldown));
            _cooldown = value;
        }
    }

    /// <summary>The decrease of the loss below the best so far that counts as an improvement (absolute); 10⁻⁴ unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double MinDelta
    {
        get => _minDelta;
        init => _minDelta = NonNegative(value, nameof(MinDelta));
    }

    /// <summary>The rate is never reduced below this; 0 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double MinimumLearningRate
    {
        get => _minimumLearningRate;
        init => _minimumLearningRate = NonNegative(value, nameof(MinimumLearningRate));
    }

    /// <summary>The reductions made since the last <see cref="Reset"/>.</summary>
    public int Reductions { get; private set; }

    /// <summary>The rate reached: the base rate until the first reduction.</summary>
    public override double GetLearningRate(double baseRate, int epoch, long step)
        => baseRate == _baseRate ? _rate : baseRate;

    /// <inheritdoc/>
    public override void Reset(double baseRate)
    {
        _baseRate = baseRate;
        _rate = baseRate;
        _best = double.PositiveInfinity;
        _wait = 0;
        _cooldownCounter = 0;
        Reductions = 0;
    }

    /// <summary>Keras's <c>on_epoch_end</c>: counts the epoch with or without improvement and reduces the rate after <see cref="Patience"/> of the latter.</summary>
    /// <inheritdoc/>
    public override void EpochEnded(int epoch, double loss)
    {
        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _wait = 0;
        }

        if (loss < _best - _minDelta)
        {
            _best = loss;
            _wait = 0;
        }
        else if (_cooldownCounter == 0)
        {
            _wait++;
            if (_wait >= _patience && _rate > _minimumLearningRate)
            {
                _rate = Math.Max(_rate * _factor, _minimumLearningRate);
                Reductions++;
                _cooldownCounter = _cooldown;
                _wait = 0;
            }
        }
    }
}
