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
public readonly record struct EpochProgress(
    int Epoch,
    int Epochs,
    double TrainLoss,
    double? ValidationLoss,
    double? ValidationAccuracy,
    TimeSpan Elapsed);
