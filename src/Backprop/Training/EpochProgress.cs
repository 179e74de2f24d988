using System;

namespace Backprop.Training;

/// <summary>
/// What one epoch of training achieved, reported through <see cref="IProgress{T}"/> after every epoch and kept
/// in <see cref="TrainingResult.History"/>. A value type: reporting it allocates nothing.
/// </summary>
/// <param name="Epoch">The epoch just completed, from 1.</param>
/// <param name="Epochs">The number of epochs asked for (<see cref="TrainingOptions.Epochs"/>).</param>
/// <param name="TrainLoss">
/// The mean loss over the epoch's training rows, each computed just before the update its batch made
/// (so it lags the parameters at the end of the epoch slightly, as Keras and PyTorch report it).
/// </param>
/// <param name="ValidationLoss">The mean loss over the validation rows after the epoch; null without validation data.</param>
/// <param name="ValidationAccuracy">
/// The fraction of validation rows classified correctly after the epoch (see <see cref="Evaluation.Accuracy{T}"/>);
/// null without validation data or when the network's loss is not a classification loss
/// (<see cref="Loss.CrossEntropy"/> or <see cref="Loss.BinaryCrossEntropy"/>).
/// </param>
/// <param name="Elapsed">The time since training started.</param>
/// <remarks>
/// The metrics asked for with <see cref="TrainingOptions.ValidationMetrics"/> are the init-only properties after the
/// positional ones, null when not asked for or without validation data; they are computed on the validation rows after
/// the epoch, as <see cref="ConfusionMatrix"/> and <see cref="RegressionMetrics"/> define them.
/// </remarks>
public readonly record struct EpochProgress(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    TimeSpan Elapsed)
{
    /// <summary>
    /// The optimizer's learning rate at the end of the epoch, in double: the rate of its last step (the epoch's rate under
    /// a per-epoch <see cref="TrainingOptions.LearningRateSchedule"/>, the last step's under a per-step one). <c>Fit</c>
    /// reports it with or without a schedule; null only in a report made elsewhere.
    /// </summary>
    public double? LearningRate { get; init; }

    /// <summary>The validation rows' <see cref="ConfusionMatrix.MacroPrecision"/>, with <see cref="ValidationMetrics.MacroPrecision"/>; null otherwise.</summary>
    public double? ValidationMacroPrecision { get; init; }

    /// <summary>The validation rows' <see cref="ConfusionMatrix.MacroRecall"/>, with <see cref="ValidationMetrics.MacroRecall"/>; null otherwise.</summary>
    public double? ValidationMacroRecall { get; init; }

    /// <summary>The validation rows' <see cref="ConfusionMatrix.MacroF1Score"/>, with <see cref="ValidationMetrics.MacroF1Score"/>; null otherwise.</summary>
    public double? ValidationMacroF1Score { get; init; }

    /// <summary>The validation rows' <see cref="RegressionMetrics.MeanAbsoluteError"/>, with <see cref="ValidationMetrics.MeanAbsoluteError"/>; null otherwise.</summary>
    public double? ValidationMeanAbsoluteError { get; init; }

    /// <summary>The validation rows' <see cref="RegressionMetrics.RootMeanSquaredError"/>, with <see cref="ValidationMetrics.RootMeanSquaredError"/>; null otherwise.</summary>
    public double? ValidationRootMeanSquaredError { get; init; }

    /// <summary>The validation rows' <see cref="RegressionMetrics.RSquared"/>, with <see cref="ValidationMetrics.RSquared"/>; null otherwise.</summary>
    public double? ValidationRSquared { get; init; }
}
