using System.Globalization;

namespace Backprop.Training;

/// <summary>
/// Where training diverged: the batch whose mean loss was not finite, or more than
/// <see cref="TrainingOptions.DivergenceFactor"/> times the first batch's. Its step was not taken, and the network was
/// set back to the latest parameters known good: those its epoch began with, when that epoch's first batch passed, or
/// else those the epoch before began with.
/// </summary>
/// <param name="Epoch">The epoch, from 1.</param>
/// <param name="Batch">The batch within the epoch, from 1.</param>
/// <param name="Loss">The batch's mean loss: NaN, infinite, or above <paramref name="Limit"/>.</param>
/// <param name="Limit">The largest mean loss a batch could have had: the factor times the first batch's mean loss (or 1, if larger).</param>
/// <param name="RestoredEpoch">The epoch whose starting parameters the network was set back to.</param>
public sealed record TrainingDivergence(int Epoch, int Batch, double Loss, double Limit, int RestoredEpoch)
{
    /// <summary>A sentence for a person: where, what the loss was, and what usually causes it.</summary>
    public string Message
        => string.Create(
            CultureInfo.InvariantCulture,
            $"Training diverged at batch {Batch} of epoch {Epoch}: its mean loss was {Loss:G4}{(double.IsFinite(Loss) ? $", more than the limit {Limit:G4}" : "")}. " +
            $"The network has the parameters epoch {RestoredEpoch} began with. A learning rate too large is the usual cause.");
}
