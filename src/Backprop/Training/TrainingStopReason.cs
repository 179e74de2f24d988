namespace Backprop.Training;

/// <summary>Why training ended.</summary>
public enum TrainingStopReason
{
    /// <summary>Every epoch asked for ran.</summary>
    Completed = 0,

    /// <summary>
    /// The validation loss stopped improving for <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs.
    /// </summary>
    EarlyStopped = 1,

    /// <summary>
    /// A batch's mean loss was NaN, infinite or past <see cref="TrainingOptions.DivergenceFactor"/> times the first
    /// batch's: the optimizer diverged (usually a learning rate too large). The network is set back to the parameters
    /// that epoch began with; <see cref="TrainingResult.Divergence"/> says where.
    /// </summary>
    Diverged = 2,
}
