using System;

namespace Backprop.Training;

/// <summary>
/// The metrics <c>Fit</c> computes on the validation rows after every epoch, besides the loss and accuracy it always
/// reports (<see cref="TrainingOptions.ValidationMetrics"/>); each lands in its <see cref="EpochProgress"/> property.
/// Combine them with <c>|</c>.
/// </summary>
/// <remarks>
/// The classification metrics need a classifier (a Softmax output layer, or one Sigmoid output) and validation targets
/// that name a class (one-hot rows, or 0 and 1); the regression metrics work on any network. Both are defined as in
/// <see cref="ConfusionMatrix"/> and <see cref="RegressionMetrics"/>.
/// </remarks>
[Flags]
public enum ValidationMetrics
{
    /// <summary>None beyond the validation loss and accuracy.</summary>
    None = 0,

    /// <summary><see cref="ConfusionMatrix.MacroPrecision"/>, into <see cref="EpochProgress.ValidationMacroPrecision"/>.</summary>
    MacroPrecision = 1 << 0,

    /// <summary><see cref="ConfusionMatrix.MacroRecall"/>, into <see cref="EpochProgress.ValidationMacroRecall"/>.</summary>
    MacroRecall = 1 << 1,

    /// <summary><see cref="ConfusionMatrix.MacroF1Score"/>, into <see cref="EpochProgress.ValidationMacroF1Score"/>.</summary>
    MacroF1Score = 1 << 2,

    /// <summary><see cref="RegressionMetrics.MeanAbsoluteError"/>, into <see cref="EpochProgress.ValidationMeanAbsoluteError"/>.</summary>
    MeanAbsoluteError = 1 << 3,

    /// <summary><see cref="RegressionMetrics.RootMeanSquaredError"/>, into <see cref="EpochProgress.ValidationRootMeanSquaredError"/>.</summary>
    RootMeanSquaredError = 1 << 4,

    /// <summary><see cref="RegressionMetrics.RSquared"/>, into <see cref="EpochProgress.ValidationRSquared"/>.</summary>
    RSquared = 1 << 5,

    /// <summary>The three macro-averaged classification metrics.</summary>
    Classification = MacroPrecision | MacroRecall | MacroF1Score,

    /// <summary>The three regression metrics.</summary>
    Regression = MeanAbsoluteError | RootMeanSquaredError | RSquared,
}
