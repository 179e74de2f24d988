using System;

namespace Backprop.Training;

/// <summary>
/// A learning-rate schedule: the rate for an epoch or an optimizer step of a <c>Fit</c> run, given the base rate.
/// Set it as <see cref="TrainingOptions.LearningRateSchedule"/>; <see cref="StepDecay"/>, <see cref="ExponentialDecay"/>,
/// <see cref="CosineDecay"/> and <see cref="ReduceOnPlateau"/> are built in, and a class of your own derives from this one.
/// </summary>
/// <remarks>
/// <para>
/// <c>Fit</c> takes the optimizer's <see cref="Optimizers.IOptimizer{T}.LearningRate"/> when it starts as the base rate,
/// calls <see cref="Reset"/> with it, and then sets the optimizer's <c>LearningRate</c> to
/// <see cref="GetLearningRate"/> before every epoch (or, when <see cref="PerStep"/> is true, before every optimizer
/// step) and calls <see cref="EpochEnded"/> after every epoch that did not diverge. The rate each epoch ended with is
/// reported in <see cref="EpochProgress.LearningRate"/>. The optimizer is left at the last rate set: a second
/// <c>Fit</c> takes that as its base rate, as a second <c>fit</c> does in Keras; set <c>LearningRate</c> back first to
/// run the schedule from the start again.
/// </para>
/// <para>
/// The trainer sets the rate through the <see cref="Optimizers.IOptimizer{T}.LearningRate"/> setter every optimizer
/// has, a custom one included, and reads it back: an optimizer whose getter does not then return the rate set (one that
/// ignores it) makes <c>Fit</c> throw an <see cref="InvalidOperationException"/> before anything changes (<c>Fit</c>
/// tries the setter with half the base rate and back first) rather than train at a rate the schedule did not ask for. The schedule is called on the training thread only, between steps, so the number of
/// threads never changes a rate. A schedule that keeps state (<see cref="ReduceOnPlateau"/>) is reset by every
/// <c>Fit</c> and must not be shared by two runs at once.
/// </para>
/// <para>For loops of your own around <see cref="Trainer{T}.TrainEpoch"/> or <see cref="Trainer{T}.TrainBatch"/>, call
/// <see cref="GetLearningRate"/> yourself and set the optimizer's rate.</para>
/// </remarks>
/// <example>
/// <code>
/// var options = new TrainingOptions { Epochs = 30, LearningRateSchedule = new StepDecay(stepSize: 10, gamma: 0.5) };
/// </code>
/// </example>
public abstract class LearningRateSchedule
{
    /// <summary>
    /// Whether the rate is set before every optimizer step (true) or once before every epoch (false, the default).
    /// </summary>
    public virtual bool PerStep => false;

    /// <summary>The learning rate for an epoch, or for a step when <see cref="PerStep"/> is true.</summary>
    /// <param name="baseRate">The optimizer's learning rate when the run started.</param>
    /// <param name="epoch">The epoch about to run (or running), from 1.</param>
    /// <param name="step">The number of optimizer steps taken in the run so far: the step about to be taken, from 0.</param>
    /// <returns>A finite rate ≥ 0.</returns>
    public abstract double GetLearningRate(double baseRate, int epoch, long step);

    /// <summary>Starts a run: forgets what earlier runs observed. Does nothing unless overridden.</summary>
    /// <param name="baseRate">The optimizer's learning rate when the run starts.</param>
    public virtual void Reset(double baseRate)
    {
    }

    /// <summary>
    /// Observes the end of an epoch that did not diverge. Does nothing unless overridden (<see cref="ReduceOnPlateau"/>
    /// overrides it).
    /// </summary>
    /// <param name="epoch">The epoch just completed, from 1.</param>
    /// <param name="loss">Its validation loss, or its training loss when the run has no validation rows.</param>
    public virtual void EpochEnded(int epoch, double loss)
    {
    }

    /// <summary>A finite value &gt; 0.</summary>
    private protected static double Positive(double value, string name)
        => double.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");

    /// <summary>A finite value ≥ 0.</summary>
    private protected static double NonNegative(double value, string name)
        => double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");

    /// <summary>A factor in (0, 1].</summary>
    private protected static double UnitFactor(double value, string name, bool oneAllowed)
        => value > 0 && (oneAllowed ? value <= 1 : value < 1)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, oneAllowed ? $"{name} must be in (0, 1]." : $"{name} must be in (0, 1).");
}
