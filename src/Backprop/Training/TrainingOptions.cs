using System;

namespace Backprop.Training;

/// <summary>
/// How <see cref="Trainer{T}.Fit(ReadOnlySpan{T}, ReadOnlySpan{T}, TrainingOptions, IProgress{EpochProgress}?, System.Threading.CancellationToken)"/>
/// trains: epochs, mini-batch size, shuffling, validation, early stopping and the learning-rate schedule.
/// </summary>
/// <remarks>
/// The number of threads is not an option of a run but a setting of the trainer,
/// <see cref="Trainer{T}.MaxDegreeOfParallelism"/>, because it never changes what training computes.
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainingOptions
/// {
///     Epochs = 200,
///     BatchSize = 16,
///     Seed = 42,
///     ValidationSplit = 0.2,
///     EarlyStoppingPatience = 20,
/// };
/// </code>
/// </example>
public sealed record TrainingOptions
{
    private readonly int _epochs = 100;
    private readonly int _batchSize = 32;
    private readonly double _validationSplit;
    private readonly int? _earlyStoppingPatience;
    private readonly double _earlyStoppingMinDelta;
    private readonly double _divergenceFactor = 1e4;
    private readonly ValidationMetrics _validationMetrics;

    /// <summary>The number of passes over the training rows; 100 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Epochs
    {
        get => _epochs;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(Epochs));
            _epochs = value;
        }
    }

    /// <summary>
    /// The number of rows whose mean gradient makes one optimizer step; 32 unless set. The last batch of an
    /// epoch holds the rows left over, so it may be smaller. 1 is per-sample SGD; the number of training rows is full-batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int BatchSize
    {
        get => _batchSize;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1, nameof(BatchSize));
            _batchSize = value;
        }
    }

    /// <summary>
    /// Seeds the validation split and the shuffling of the training rows; 0 unless set. With the same seed,
    /// data, initial parameters and a new optimizer, training ends with bit-identical parameters, whatever the
    /// trainer's <see cref="Trainer{T}.MaxDegreeOfParallelism"/>.
    /// </summary>
    public int Seed { get; init; }

    /// <summary>Whether to visit the training rows in a new random order every epoch; true unless set.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>
    /// The fraction of the rows held out for validation, in [0, 1); 0 (none) unless set. The held-out rows are
    /// drawn at random with <see cref="Seed"/>, round(fraction × rows) of them, and never trained on. Ignored when
    /// validation data is passed to <c>Fit</c> explicitly.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1).</exception>
    public double ValidationSplit
    {
        get => _validationSplit;
        init
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(ValidationSplit), value, "ValidationSplit must be in [0, 1).");
            }

            _validationSplit = value;
        }
    }

    /// <summary>
    /// Stop when the validation loss has not improved by more than <see cref="EarlyStoppingMinDelta"/> for this
    /// many epochs in a row; null (never stop early) unless set. Needs validation data.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int? EarlyStoppingPatience
    {
        get => _earlyStoppingPatience;
        init
        {
            if (value is < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), value, "EarlyStoppingPatience must be at least 1, or null.");
            }

            _earlyStoppingPatience = value;
        }
    }

    /// <summary>The decrease of the validation loss that counts as an improvement for early stopping; 0 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double EarlyStoppingMinDelta
    {
        get => _earlyStoppingMinDelta;
        init
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(EarlyStoppingMinDelta), value, "EarlyStoppingMinDelta must be a finite number ≥ 0.");
            }

            _earlyStoppingMinDelta = value;
        }
    }

    /// <summary>
    /// With early stopping, whether the network ends with the parameters of the epoch with the lowest validation
    /// loss (<see cref="TrainingResult.BestEpoch"/>) rather than those of the last epoch; true unless set.
    /// </summary>
    public bool RestoreBestParameters { get; init; } = true;

    /// <summary>
    /// Training stops as <see cref="TrainingStopReason.Diverged"/> at the first batch whose mean loss is NaN, infinite,
    /// or more than this many times the first batch's mean loss (or 1, if that is larger); 10⁴ unless set. No training
    /// that converges comes near it; a learning rate orders of magnitude too large passes it within a few batches.
    /// <see cref="double.PositiveInfinity"/> stops only on a loss that is not finite.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or not greater than 1.</exception>
    public double DivergenceFactor
    {
        get => _divergenceFactor;
        init
        {
            if (double.IsNaN(value) || value <= 1)
            {
                throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), value, "DivergenceFactor must be greater than 1 (PositiveInfinity to stop only on a loss that is not finite).");
            }

            _divergenceFactor = value;
        }
    }

    /// <summary>
    /// The learning-rate schedule <c>Fit</c> applies to the optimizer's <see cref="Optimizers.IOptimizer{T}.LearningRate"/>
    /// before every epoch, or every step for a per-step schedule (<see cref="StepDecay"/>, <see cref="ExponentialDecay"/>,
    /// <see cref="CosineDecay"/>, <see cref="ReduceOnPlateau"/>, or your own); null (the rate stays as set) unless set.
    /// The base rate is the optimizer's when <c>Fit</c> starts, and the optimizer is left at the last rate set (see
    /// <see cref="Training.LearningRateSchedule"/>). Regularisation and gradient clipping are settings of the trainer
    /// (<see cref="Trainer{T}.L2Regularization"/>, <see cref="Trainer{T}.GradientClipNorm"/>), since they apply to
    /// <c>TrainBatch</c> and <c>TrainEpoch</c> too.
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule { get; init; }

    /// <summary>
    /// The metrics to compute on the validation rows after every epoch and report in <see cref="EpochProgress"/>,
    /// beyond the validation loss and accuracy; <see cref="Training.ValidationMetrics.None"/> unless set. Needs
    /// validation data; the classification metrics need a classifier. They cost one more pass of
    /// <see cref="INetwork{T}.Forward"/> over the validation rows per epoch (shared with accuracy) and allocate only
    /// once per <c>Fit</c> call.
    /// </summary>
    /// <example><c>ValidationMetrics = ValidationMetrics.MacroF1Score | ValidationMetrics.MacroRecall</c></example>
    /// <exception cref="ArgumentOutOfRangeException">The value has a bit that is not a <see cref="Training.ValidationMetrics"/>.</exception>
    public ValidationMetrics ValidationMetrics
    {
        get => _validationMetrics;
        init
        {
            if ((value & ~(ValidationMetrics.Classification | ValidationMetrics.Regression)) != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(ValidationMetrics), value, "ValidationMetrics must be a combination of the ValidationMetrics values.");
            }

            _validationMetrics = value;
        }
    }
}
