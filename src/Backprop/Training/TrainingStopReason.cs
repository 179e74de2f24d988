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
    /// An epoch's training loss was NaN or infinite: the optimizer diverged (usually a learning rate too large),
    /// and further epochs could not recover.
    /// </summary>
    Diverged = 2,
}
