using System;
using System.Collections.Generic;

namespace Backprop.Training;

/// <summary>What a call to <c>Trainer&lt;T&gt;.Fit</c> did.</summary>
public sealed class TrainingResult
{
    internal TrainingResult(
        TrainingStopReason stopReason,
        IReadOnlyList<EpochProgress> history,
        int bestEpoch,
        double? bestValidationLoss,
        bool restoredBestParameters,
        int trainingRows,
        int validationRows,
        TimeSpan elapsed,
        TrainingDivergence? divergence)
    {
        StopReason = stopReason;
        History = history;
        BestEpoch = bestEpoch;
        BestValidationLoss = bestValidationLoss;
        RestoredBestParameters = restoredBestParameters;
        TrainingRows = trainingRows;
        ValidationRows = validationRows;
        Elapsed = elapsed;
        Divergence = divergence;
    }

    /// <summary>Why training ended.</summary>
    public TrainingStopReason StopReason { get; }

    /// <summary>One entry per completed epoch, in order: the loss curve.</summary>
    public IReadOnlyList<EpochProgress> History { get; }

    /// <summary>The number of epochs that ran.</summary>
    public int EpochsCompleted => History.Count;

    /// <summary>The last epoch's report.</summary>
    public EpochProgress Final => History[History.Count - 1];

    /// <summary>
    /// The epoch with the lowest validation loss, from 1; the last epoch when there was no validation data.
    /// </summary>
    public int BestEpoch { get; }

    /// <summary>The lowest validation loss seen; null without validation data.</summary>
    public double? BestValidationLoss { get; }

    /// <summary>
    /// Whether the network's parameters were set back to those of <see cref="BestEpoch"/> at the end
    /// (<see cref="TrainingOptions.RestoreBestParameters"/> with early stopping).
    /// </summary>
    public bool RestoredBestParameters { get; }

    /// <summary>The number of rows trained on.</summary>
    public int TrainingRows { get; }

    /// <summary>The number of rows validated on (held out by <see cref="TrainingOptions.ValidationSplit"/> or passed in).</summary>
    public int ValidationRows { get; }

    /// <summary>The wall-clock time training took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Where training diverged, when <see cref="StopReason"/> is <see cref="TrainingStopReason.Diverged"/>; null otherwise.</summary>
    public TrainingDivergence? Divergence { get; }
}
