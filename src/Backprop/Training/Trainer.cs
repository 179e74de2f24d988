using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Threading;
using Backprop.CompilerServices;
using Backprop.Internal;
using Backprop.Optimizers;
using Backprop.Parallelism;

namespace Backprop.Training;

/// <summary>
/// Trains a network with an optimizer on mini-batches: <see cref="Fit(ReadOnlySpan{T}, ReadOnlySpan{T}, TrainingOptions, IProgress{EpochProgress}?, CancellationToken)"/>
/// for whole runs (epochs, shuffling, validation, early stopping, progress), and the allocation-free building blocks it
/// is made of, <see cref="TrainEpoch"/> and <see cref="TrainBatch"/>, for loops of your own.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
/// <remarks>
/// <para>
/// A batch step computes the sum of the rows' ∂L/∂θ with <see cref="INetwork{T}.BackwardBatch"/> (matrix products in a
/// generated network), scales it by 1/m to the mean gradient and hands it to <see cref="IOptimizer{T}.Step"/>.
/// The sum is taken in blocks of consecutive rows of the batch, 16 rows each, or 32 in a batch of 64 rows or more (the
/// last block holds what is left): the rows of a
/// block, visited through the row indices, are copied into a contiguous buffer the trainer owns (or used where they
/// are when their indices are consecutive), each block's gradient is computed into a zeroed buffer of its own, and the
/// blocks' gradients and losses are added in block order. Block boundaries and the order of every addition depend on
/// the batch alone, never on <see cref="MaxDegreeOfParallelism"/>.
/// </para>
/// <para>
/// Between the mean gradient and the optimizer's step, every step (of <see cref="TrainBatch"/>, <see cref="TrainEpoch"/>
/// and <c>Fit</c> alike) applies the trainer's settings in this order, on the calling thread: the coupled L2 and L1
/// penalties' gradients, g += λ₂·θ + λ₁·sign(θ) over the weights (<see cref="L2Regularization"/>,
/// <see cref="L1Regularization"/>, <see cref="RegularizeBiases"/>), then clipping by global norm
/// (<see cref="GradientClipNorm"/>). <c>Fit</c> also sets the optimizer's <see cref="IOptimizer{T}.LearningRate"/>
/// from <see cref="TrainingOptions.LearningRateSchedule"/> before every epoch or step. The losses reported are the
/// data loss, without the penalties.
/// </para>
/// <para>
/// Parallelism is opt-in: with <see cref="MaxDegreeOfParallelism"/> above 1 the blocks of a batch are computed on the
/// calling thread and thread-pool threads, and their sum is added up by ranges of parameters on all of them. The
/// arithmetic is the same as on one thread, so with the same seed, data and initial parameters the parameters and
/// the reported losses are bit-identical whatever the number of threads. It pays off when a block's work (16 or 32 rows
/// through all <see cref="INetwork{T}.ParameterCount"/> weights) dwarfs handing it to another thread, roughly from
/// tens of thousands of parameters up; a batch of at most 16 rows is one block and stays on the calling thread. The
/// network's <see cref="INetwork{T}.BackwardBatch"/> is then called on several threads at once, each with its own
/// rows and gradient buffer, so it must be thread-safe for such calls, as the generated networks' are. The step of a
/// built-in optimizer (<see cref="Sgd{T}"/>, <see cref="Momentum{T}"/>, <see cref="Adam{T}"/>) is cut into ranges of
/// parameters on the same threads; each parameter's update is its own, so the bits are those of one
/// <see cref="IOptimizer{T}.Step"/>. An optimizer of your own steps on the calling thread, as does validation in
/// <c>Fit</c>.
/// </para>
/// <para>
/// Allocation: the constructor allocates the gradient buffer (<see cref="INetwork{T}.ParameterCount"/> elements)
/// and the weights' ranges (one pair per layer, for regularisation); regularisation, clipping and schedules allocate nothing.
/// The first batch of more than 16 rows allocates a gradient buffer per further block computed at once (at most
/// 2 × the number of threads) and, for rows visited through indices, 32-row input and target buffers; the first
/// step on more than one thread allocates the work item that cuts the optimizer's step; later batches reuse them.
/// From then on <see cref="TrainBatch"/> and <see cref="TrainEpoch"/> allocate nothing, on any thread.
/// <c>Fit</c> allocates once per call: the row-index array (one <see cref="int"/> per row), a copy of the parameters
/// when it may restore the best ones, an output buffer for validation accuracy, the buffers of the
/// <see cref="TrainingOptions.ValidationMetrics"/> asked for (a confusion matrix and the validation rows' classes, or
/// three doubles per output), the history list (one
/// <see cref="EpochProgress"/> value per epoch, a struct) and the result. Its epochs and steps allocate nothing of
/// their own; what an <see cref="IProgress{T}"/> does with a report is up to it (<see cref="Progress{T}"/> posts a
/// callback, which allocates).
/// </para>
/// <para>A trainer, like its network and optimizer, is not thread-safe.</para>
/// </remarks>
/// <example>
/// <code>
/// var network = new IrisNet();
/// var trainer = new Trainer&lt;float&gt;(network, new Adam&lt;float&gt;(IrisNet.ParameterCount) { LearningRate = 0.01f });
/// TrainingResult result = trainer.Fit(inputs, targets, new TrainingOptions { Epochs = 200, BatchSize = 16, ValidationSplit = 0.2 });
/// Console.WriteLine($"{result.EpochsCompleted} epochs, validation loss {result.Final.ValidationLoss:F4}");
/// </code>
/// </example>
public sealed class Trainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BlockGradient<T> _batchGradient;

    /// <summary>The parameters the current and the previous epoch of a Fit began with (see Run); made by the first Fit.</summary>
    private T[]? _epochStart;
    private T[]? _previousEpochStart;

    /// <summary>The network's loss, when its architecture names one: what the targets must be (see <see cref="TargetCheck"/>).</summary>
    private readonly Loss? _loss;
    private readonly GradientTransform<T> _gradientTransform;
    private ParallelOptimizerStep<T>? _parallelStep;
    private int _maxDegreeOfParallelism = 1;
    private double _l1Regularization;
    private double _l2Regularization;
    private double? _gradientClipNorm;

    // The schedule of the Fit under way (null outside Fit), its base rate, epoch and the steps taken so far.
    private LearningRateSchedule? _schedule;
    private double _baseLearningRate;
    private int _epoch;
    private long _step;

    /// <summary>Creates a trainer that updates <paramref name="network"/> with <paramref name="optimizer"/>.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="optimizer">The update rule, created for the network's <see cref="INetwork{T}.ParameterCount"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The optimizer was sized for another number of parameters.</exception>
    public Trainer(INetwork<T> network, IOptimizer<T> optimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException(
                $"The optimizer was created for {optimizer.ParameterCount} parameters, but the network has {network.ParameterCount} ({network.Architecture}).",
                nameof(optimizer));
        }

        Network = network;
        Optimizer = optimizer;
        _batchGradient = new BlockGradient<T>(network);
        _gradientTransform = new GradientTransform<T>(network);
        _loss = ArchitectureDescription.TryParse(network.Architecture)?.Loss;
    }

    /// <summary>The network this trainer updates.</summary>
    public INetwork<T> Network { get; }

    /// <summary>The update rule. Its state carries over from one call to the next; call <see cref="IOptimizer{T}.Reset"/> to start afresh.</summary>
    public IOptimizer<T> Optimizer { get; }

    /// <summary>
    /// The most threads a batch's gradient is computed on, the calling thread included: 1 (the default) for the
    /// calling thread alone, n &gt; 1 for it and up to n − 1 thread-pool threads, −1 for
    /// <see cref="Environment.ProcessorCount"/>. Whatever the value, training gives the same bits (see the remarks
    /// of <see cref="Trainer{T}"/>). Takes effect from the next batch.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is 0 or less than −1.</exception>
    public int MaxDegreeOfParallelism
    {
        get => _maxDegreeOfParallelism;
        set
        {
            ParallelWork.CheckDegree(value, nameof(MaxDegreeOfParallelism));
            _maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// λ₁ of L1 regularisation: every step adds λ₁·sign(θ) to the mean gradient (the gradient of λ₁·Σ|θ|) of the
    /// weights, or of every parameter with <see cref="RegularizeBiases"/>; 0 (off) unless set. Applies to
    /// <see cref="TrainBatch"/>, <see cref="TrainEpoch"/> and <c>Fit</c> alike, whatever the optimizer, before the
    /// optimizer's step (coupled: Adam's moments see it). The losses reported stay the data loss, without the penalty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double L1Regularization
    {
        get => _l1Regularization;
        set => _l1Regularization = Regularization(value, nameof(L1Regularization));
    }

    /// <summary>
    /// λ₂ of L2 regularisation: every step adds λ₂·θ to the mean gradient (the gradient of λ₂/2·Σθ², PyTorch's
    /// <c>weight_decay</c>; Keras's <c>L2(l)</c> is λ₂ = 2l) of the weights, or of every parameter with
    /// <see cref="RegularizeBiases"/>; 0 (off) unless set. Applies as <see cref="L1Regularization"/> does. AdamW's
    /// decoupled <see cref="Adam{T}.WeightDecay"/> is another thing and stays as it is; both may be set.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double L2Regularization
    {
        get => _l2Regularization;
        set => _l2Regularization = Regularization(value, nameof(L2Regularization));
    }

    /// <summary>
    /// Whether <see cref="L1Regularization"/> and <see cref="L2Regularization"/> apply to the biases too; false (weights
    /// only, as Keras's <c>kernel_regularizer</c>) unless set. The weights are told from the biases by the network's
    /// <see cref="INetwork{T}.Architecture"/> (each layer's W, out × in, then its b); for a network whose architecture
    /// is not in the generated form, regularisation needs this set to true (every parameter penalised), and training
    /// otherwise throws an <see cref="InvalidOperationException"/> before anything changes.
    /// </summary>
    public bool RegularizeBiases { get; set; }

    /// <summary>
    /// Clipping by global norm, PyTorch's <c>clip_grad_norm_</c>: when the 2-norm ‖g‖ of the whole mean gradient (after
    /// regularisation), computed in double, exceeds c, every step scales the gradient by c / (‖g‖ + 10⁻⁶) before the
    /// optimizer's step; null (off) unless set. Applies to <see cref="TrainBatch"/>, <see cref="TrainEpoch"/> and
    /// <c>Fit</c> alike, with the same bits on any number of threads.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a finite number &gt; 0.</exception>
    public double? GradientClipNorm
    {
        get => _gradientClipNorm;
        set
        {
            if (value is double c && !(double.IsFinite(c) && c > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(GradientClipNorm), value, "GradientClipNorm must be a finite number > 0, or null.");
            }

            _gradientClipNorm = value;
        }
    }

    /// <summary>
    /// One optimizer step on the mean gradient of the given rows, summed in blocks of 16 or 32 rows as the remarks of
    /// <see cref="Trainer{T}"/> describe. Allocation-free.
    /// </summary>
    /// <param name="inputs">m rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">m rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated.</param>
    /// <returns>The mean loss over the rows, before the update.</returns>
    /// <exception cref="ArgumentException">The spans are not whole, matching, non-empty rows, or hold a NaN or an infinity (named by row and column; nothing is changed).</exception>
    /// <exception cref="InvalidOperationException">L1/L2 regularisation of the weights alone on a network whose architecture does not tell them from the biases (see <see cref="RegularizeBiases"/>); nothing is changed.</exception>
    public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets)
    {
        int rows = NetworkGuard.BatchRows(inputs.Length, Network.InputCount, targets.Length, Network.OutputCount);
        CheckData(inputs, targets, nameof(inputs), nameof(targets));
        CheckRegularization();
        int threads = ParallelWork.Threads(_maxDegreeOfParallelism);
        double lossSum = _batchGradient.Compute(inputs, targets, rows, threads);
        StepOptimizer(threads);
        return T.CreateTruncating(lossSum / rows);
    }

    /// <summary>
    /// One epoch: the rows in <paramref name="rowOrder"/>, in that order, in mini-batches of
    /// <paramref name="batchSize"/> (the last one holds what is left), one optimizer step per batch.
    /// Allocation-free; shuffle <paramref name="rowOrder"/> yourself between epochs.
    /// </summary>
    /// <param name="inputs">All rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">All rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated.</param>
    /// <param name="rowOrder">The indices of the rows to train on, in the order to visit them.</param>
    /// <param name="batchSize">The number of rows per optimizer step.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>
    /// The mean loss over the visited rows, each computed before its batch's update. A batch whose loss is not finite
    /// (a diverged optimizer) ends the epoch before its step, and the mean is then NaN or infinite.
    /// </returns>
    /// <exception cref="ArgumentException">The spans are not whole, matching rows or hold a NaN or an infinity (named by row and column; nothing is changed), or <paramref name="rowOrder"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1, or a row index is out of range.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the batches before it have been applied.</exception>
    /// <exception cref="InvalidOperationException">L1/L2 regularisation of the weights alone on a network whose architecture does not tell them from the biases (see <see cref="RegularizeBiases"/>); nothing is changed.</exception>
    public double TrainEpoch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> rowOrder, int batchSize, CancellationToken cancellationToken = default)
    {
        int rows = NetworkGuard.BatchRows(inputs.Length, Network.InputCount, targets.Length, Network.OutputCount);
        CheckData(inputs, targets, nameof(inputs), nameof(targets));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (rowOrder.IsEmpty)
        {
            throw new ArgumentException("Expected at least one row index.", nameof(rowOrder));
        }

        CheckRegularization();

        var nonFinite = new DivergenceWatch(double.PositiveInfinity);
        return RunEpoch(inputs, targets, rows, rowOrder, batchSize, ref nonFinite, cancellationToken);
    }

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs of mini-batches, holding out
    /// <see cref="TrainingOptions.ValidationSplit"/> of the rows for validation, and reports every epoch.
    /// </summary>
    /// <param name="inputs">Rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">Rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated, as many as the inputs.</param>
    /// <param name="options">Epochs, batch size, seed, validation and early stopping.</param>
    /// <param name="progress">Receives an <see cref="EpochProgress"/> after every epoch, on the training thread; optional.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>Why training stopped, the per-epoch history and the best epoch.</returns>
    /// <exception cref="ArgumentException">The spans are not whole, matching, non-empty rows; a value is NaN or infinite (named by row and column; nothing is changed); no row is left to train on; or early stopping is asked for without validation rows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the network keeps the parameters of the last completed batch.</exception>
    /// <exception cref="InvalidOperationException">L1/L2 regularisation of the weights alone on a network whose architecture does not tell them from the biases (see <see cref="RegularizeBiases"/>), or a schedule with an optimizer that ignores its <see cref="IOptimizer{T}.LearningRate"/> setter; nothing is changed.</exception>
    public TrainingResult Fit(
        ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> targets,
        TrainingOptions options,
        IProgress<EpochProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int rows = NetworkGuard.BatchRows(inputs.Length, Network.InputCount, targets.Length, Network.OutputCount);
        CheckData(inputs, targets, nameof(inputs), nameof(targets));
        int validationRows = (int)Math.Round(options.ValidationSplit * rows, MidpointRounding.AwayFromZero);
        int trainingRows = rows - validationRows;
        if (trainingRows == 0)
        {
            throw new ArgumentException($"ValidationSplit {options.ValidationSplit} of {rows} rows leaves no row to train on.", nameof(options));
        }

        var random = new SplitMix64(options.Seed);
        int[] indices = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            indices[i] = i;
        }

        if (validationRows > 0)
        {
            random.Shuffle(indices);

            // Each part back in data order, so Shuffle = false trains in the order given.
            Array.Sort(indices, 0, trainingRows);
            Array.Sort(indices, trainingRows, validationRows);
        }

        return Run(
            inputs,
            targets,
            indices.AsSpan(0, trainingRows),
            inputs,
            targets,
            indices.AsSpan(trainingRows),
            nameof(targets),
            options,
            ref random,
            progress,
            cancellationToken);
    }

    /// <summary>
    /// Trains for <see cref="TrainingOptions.Epochs"/> epochs of mini-batches on the training rows, validating on
    /// the validation rows given (<see cref="TrainingOptions.ValidationSplit"/> is ignored), and reports every epoch.
    /// </summary>
    /// <param name="inputs">Training rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">Training rows of <see cref="INetwork{T}.OutputCount"/> targets, concatenated.</param>
    /// <param name="validationInputs">Validation rows of inputs, concatenated; may be empty for no validation.</param>
    /// <param name="validationTargets">Validation rows of targets, concatenated, as many as <paramref name="validationInputs"/>.</param>
    /// <param name="options">Epochs, batch size, seed and early stopping.</param>
    /// <param name="progress">Receives an <see cref="EpochProgress"/> after every epoch, on the training thread; optional.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <returns>Why training stopped, the per-epoch history and the best epoch.</returns>
    /// <exception cref="ArgumentException">The spans are not whole, matching rows; a value is NaN or infinite (named by row and column; nothing is changed); or early stopping is asked for without validation rows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the network keeps the parameters of the last completed batch.</exception>
    /// <exception cref="InvalidOperationException">L1/L2 regularisation of the weights alone on a network whose architecture does not tell them from the biases (see <see cref="RegularizeBiases"/>), or a schedule with an optimizer that ignores its <see cref="IOptimizer{T}.LearningRate"/> setter; nothing is changed.</exception>
    public TrainingResult Fit(
        ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> targets,
        ReadOnlySpan<T> validationInputs,
        ReadOnlySpan<T> validationTargets,
        TrainingOptions options,
        IProgress<EpochProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        int rows = NetworkGuard.BatchRows(inputs.Length, Network.InputCount, targets.Length, Network.OutputCount);
        CheckData(inputs, targets, nameof(inputs), nameof(targets));
        int validationRows = validationInputs.IsEmpty && validationTargets.IsEmpty
            ? 0
            : ValidationRows(validationInputs.Length, validationTargets.Length);
        CheckData(validationInputs, validationTargets, nameof(validationInputs), nameof(validationTargets));
        int[] indices = new int[rows + validationRows];
        for (int i = 0; i < rows; i++)
        {
            indices[i] = i;
        }

        for (int i = 0; i < validationRows; i++)
        {
            indices[rows + i] = i;
        }

        var random = new SplitMix64(options.Seed);
        return Run(
            inputs,
            targets,
            indices.AsSpan(0, rows),
            validationInputs,
            validationTargets,
            indices.AsSpan(rows),
            nameof(validationTargets),
            options,
            ref random,
            progress,
            cancellationToken);
    }

    /// <summary>
    /// Every value finite, and the targets what the loss needs, checked before anything changes: one NaN in a row
    /// would otherwise reach every parameter through the step. The exception names the row and column.
    /// </summary>
    private void CheckData(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, string inputsName, string targetsName)
    {
        NetworkGuard.Finite(inputs, Network.InputCount, inputsName);
        NetworkGuard.Finite(targets, Network.OutputCount, targetsName);
        TargetCheck.Check(_loss, targets, Network.OutputCount, targetsName);
    }

    private int ValidationRows(int inputsLength, int targetsLength)
    {
        try
        {
            return NetworkGuard.BatchRows(inputsLength, Network.InputCount, targetsLength, Network.OutputCount);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message.Replace("'inputs'", "'validationInputs'", StringComparison.Ordinal).Replace("'targets'", "'validationTargets'", StringComparison.Ordinal), "validation" + (e.ParamName == "inputs" ? "Inputs" : "Targets"));
        }
    }

    private TrainingResult Run(
        ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> targets,
        Span<int> trainingOrder,
        ReadOnlySpan<T> validationInputs,
        ReadOnlySpan<T> validationTargets,
        ReadOnlySpan<int> validationOrder,
        string validationTargetsName,
        TrainingOptions options,
        ref SplitMix64 random,
        IProgress<EpochProgress>? progress,
        CancellationToken cancellationToken)
    {
        bool validating = !validationOrder.IsEmpty;
        bool earlyStopping = options.EarlyStoppingPatience is not null;
        if (earlyStopping && !validating)
        {
            throw new ArgumentException(
                "EarlyStoppingPatience watches the validation loss, but there are no validation rows: set ValidationSplit or pass validation data.",
                nameof(options));
        }

        CheckRegularization();
        INetwork<T> network = Network;
        EpochMetrics<T>? metrics = EpochMetrics<T>.Create(network, options.ValidationMetrics, validationTargets, validationOrder, validationTargetsName);
        T[]? bestParameters = earlyStopping && options.RestoreBestParameters ? new T[network.ParameterCount] : null;
        var history = new List<EpochProgress>(Math.Min(options.Epochs, 1 << 16));

        LearningRateSchedule? schedule = options.LearningRateSchedule;
        if (schedule is not null)
        {
            // Before anything changes: an optimizer that ignores its LearningRate setter is refused here, not after an epoch.
            T rate = Optimizer.LearningRate;
            SetLearningRate(rate == T.Zero ? T.One : rate / (T.One + T.One));
            SetLearningRate(rate);
            _baseLearningRate = double.CreateTruncating(rate);
            schedule.Reset(_baseLearningRate);
        }

        _schedule = schedule;
        _step = 0;
        try
        {
            return RunEpochs(inputs, targets, trainingOrder, validationInputs, validationTargets, validationOrder, options, ref random, progress, metrics, bestParameters, history, cancellationToken);
        }
        finally
        {
            _schedule = null;
        }
    }

    private TrainingResult RunEpochs(
        ReadOnlySpan<T> inputs,
        ReadOnlySpan<T> targets,
        Span<int> trainingOrder,
        ReadOnlySpan<T> validationInputs,
        ReadOnlySpan<T> validationTargets,
        ReadOnlySpan<int> validationOrder,
        TrainingOptions options,
        ref SplitMix64 random,
        IProgress<EpochProgress>? progress,
        EpochMetrics<T>? metrics,
        T[]? bestParameters,
        List<EpochProgress> history,
        CancellationToken cancellationToken)
    {
        INetwork<T> network = Network;
        int rows = inputs.Length / network.InputCount;
        bool validating = !validationOrder.IsEmpty;
        bool reportAccuracy = validating && _loss is Loss.CrossEntropy or Loss.BinaryCrossEntropy;
        LearningRateSchedule? schedule = _schedule;
        T[] output = new T[network.OutputCount];

        // The parameters the current and the previous epoch began with: the latest ones known good, once the first batch
        // of an epoch has passed the divergence watch, are the current epoch's; before that, the previous one's.
        // Kept by the trainer, not allocated per call: a large network's two copies are large-object-heap arrays, and with
        // them allocated in every Fit a one-epoch Fit of 784-128-10 (512 rows) took 4.9–6.0 ms against 4.1–4.3 ms before
        // the divergence watch; kept, 4.2–4.3 ms (stopwatch, best of 7, alternating runs).
        T[] epochStart = _epochStart ??= new T[network.ParameterCount];
        T[] previousEpochStart = _previousEpochStart ??= new T[network.ParameterCount];
        var divergence = new DivergenceWatch(options.DivergenceFactor);
        int restoredEpoch = 0;
        long start = Stopwatch.GetTimestamp();
        TrainingStopReason stopReason = TrainingStopReason.Completed;
        double bestValidationLoss = double.PositiveInfinity;
        int bestEpoch = 0;
        int epochsWithoutImprovement = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle)
            {
                random.Shuffle(trainingOrder);
            }

            _epoch = epoch;
            if (schedule is { PerStep: false })
            {
                SetLearningRate(T.CreateTruncating(schedule.GetLearningRate(_baseLearningRate, epoch, _step)));
            }

            (epochStart, previousEpochStart) = (previousEpochStart, epochStart);
            network.Parameters.CopyTo(epochStart);
            double trainLoss = RunEpoch(inputs, targets, rows, trainingOrder, options.BatchSize, ref divergence, cancellationToken);
            if (divergence.Batch > 0)
            {
                // The diverging batch's step was not taken, and the steps before it led there: back to the parameters
                // this epoch began with if its first batch passed, else to those the previous epoch began with.
                restoredEpoch = divergence.Batch > 1 || epoch == 1 ? epoch : epoch - 1;
                (restoredEpoch == epoch ? epochStart : previousEpochStart).CopyTo(network.Parameters);
                var diverged = new EpochProgress(epoch, options.Epochs, trainLoss, null, null, Stopwatch.GetElapsedTime(start))
                {
                    LearningRate = double.CreateTruncating(Optimizer.LearningRate),
                };
                history.Add(diverged);
                progress?.Report(diverged);
                stopReason = TrainingStopReason.Diverged;
                break;
            }

            double? validationLoss = null;
            double? validationAccuracy = null;
            if (validating)
            {
                (double meanLoss, double accuracy) = Validate(validationInputs, validationTargets, validationOrder, output, reportAccuracy, metrics);
                validationLoss = meanLoss;
                validationAccuracy = reportAccuracy ? accuracy : null;
                if (meanLoss < bestValidationLoss - options.EarlyStoppingMinDelta || bestEpoch == 0)
                {
                    bestValidationLoss = Math.Min(meanLoss, bestValidationLoss);
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (bestParameters is not null)
                    {
                        network.Parameters.CopyTo(bestParameters);
                    }
                }
                else
                {
                    epochsWithoutImprovement++;
                }
            }
            else
            {
                bestEpoch = epoch;
            }

            var report = new EpochProgress(epoch, options.Epochs, trainLoss, validationLoss, validationAccuracy, Stopwatch.GetElapsedTime(start))
            {
                LearningRate = double.CreateTruncating(Optimizer.LearningRate),
            };
            if (metrics is not null)
            {
                report = metrics.Report(report);
            }

            history.Add(report);
            progress?.Report(report);
            schedule?.EpochEnded(epoch, validationLoss ?? trainLoss);

            if (epochsWithoutImprovement >= options.EarlyStoppingPatience)
            {
                stopReason = TrainingStopReason.EarlyStopped;
                break;
            }
        }

        bool restored = false;
        if (bestParameters is not null && bestEpoch != history.Count && stopReason != TrainingStopReason.Diverged)
        {
            bestParameters.CopyTo(network.Parameters);
            restored = true;
        }

        return new TrainingResult(
            stopReason,
            history,
            bestEpoch,
            validating ? bestValidationLoss : null,
            restored,
            trainingOrder.Length,
            validationOrder.Length,
            Stopwatch.GetElapsedTime(start),
            divergence.Batch > 0 ? new TrainingDivergence(history.Count, divergence.Batch, divergence.Loss, divergence.Limit, restoredEpoch) : null);
    }

    /// <summary>
    /// The batches of one epoch. With a <paramref name="divergence"/> watch, a batch whose mean loss is not finite or
    /// past the watch's limit is recorded there and ends the epoch before its step; the mean loss is then that of the
    /// batches run, the diverging one included.
    /// </summary>
    private double RunEpoch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int rows, ReadOnlySpan<int> rowOrder, int batchSize, ref DivergenceWatch divergence, CancellationToken cancellationToken)
    {
        int threads = ParallelWork.Threads(_maxDegreeOfParallelism);
        double lossSum = 0;
        int visited = 0;
        for (int start = 0; start < rowOrder.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<int> batch = rowOrder.Slice(start, Math.Min(batchSize, rowOrder.Length - start));
            foreach (int row in batch)
            {
                if ((uint)row >= (uint)rows)
                {
                    ThrowRowIndex(row, rows);
                }
            }

            double batchLoss = _batchGradient.Compute(inputs, targets, batch, threads);
            lossSum += batchLoss;
            visited += batch.Length;
            if (divergence.Diverges(batchLoss / batch.Length, (start / batchSize) + 1))
            {
                break;
            }

            StepOptimizer(threads);
        }

        return lossSum / visited;
    }

    /// <summary>
    /// Watches the batches' mean losses for divergence: the first batch sets the limit (<see cref="TrainingOptions.DivergenceFactor"/>
    /// times its loss, or times 1 if that is larger); a loss that is not finite or above the limit is recorded.
    /// </summary>
    private struct DivergenceWatch(double factor)
    {
        public double Limit { get; private set; } = double.NaN;

        /// <summary>The diverging batch within its epoch, from 1; 0 while none has.</summary>
        public int Batch { get; private set; }

        public double Loss { get; private set; }

        public bool Diverges(double meanLoss, int batch)
        {
            if (double.IsNaN(Limit) && double.IsFinite(meanLoss))
            {
                Limit = factor * Math.Max(meanLoss, 1);
            }

            if (double.IsFinite(meanLoss) && !(meanLoss > Limit))
            {
                return false;
            }

            Batch = batch;
            Loss = meanLoss;
            return true;
        }
    }

    /// <summary>
    /// The optimizer's step on the batch's gradient: cut into ranges on up to <paramref name="threads"/> threads when
    /// the optimizer allows it, one <see cref="IOptimizer{T}.Step"/> otherwise; the same bits either way.
    /// </summary>
    private void StepOptimizer(int threads)
    {
        _gradientTransform.Apply(_batchGradient.Gradient, Network.Parameters, _l1Regularization, _l2Regularization, RegularizeBiases, _gradientClipNorm);
        if (_schedule is not null)
        {
            if (_schedule.PerStep)
            {
                SetLearningRate(T.CreateTruncating(_schedule.GetLearningRate(_baseLearningRate, _epoch, _step)));
            }

            _step++;
        }

        if (threads > 1 && Optimizer is IRangedOptimizer<T> ranged)
        {
            (_parallelStep ??= new ParallelOptimizerStep<T>()).Run(ranged, Network.Parameters, _batchGradient.Gradient, threads);
        }
        else
        {
            Optimizer.Step(Network.Parameters, _batchGradient.Gradient);
        }
    }

    private (double Loss, double Accuracy) Validate(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, ReadOnlySpan<int> rowOrder, Span<T> output, bool accuracy, EpochMetrics<T>? metrics)
    {
        INetwork<T> network = Network;
        int inputCount = network.InputCount;
        int outputCount = network.OutputCount;
        double lossSum = 0;
        int correct = 0;
        RegressionSums sums = metrics is null ? default : metrics.Begin(outputCount);
        foreach (int row in rowOrder)
        {
            ReadOnlySpan<T> input = inputs.Slice(row * inputCount, inputCount);
            ReadOnlySpan<T> target = targets.Slice(row * outputCount, outputCount);
            lossSum += double.CreateTruncating(network.ComputeLoss(input, target));
            if (accuracy || metrics is not null)
            {
                network.Forward(input, output);
                if (accuracy && Evaluation.IsCorrect<T>(output, target))
                {
                    correct++;
                }

                metrics?.Add(output, target, ref sums);
            }
        }

        metrics?.End(sums);
        return (lossSum / rowOrder.Length, (double)correct / rowOrder.Length);
    }

    /// <summary>Sets the optimizer's rate and makes sure it took it: an optimizer that ignores the setter is an error, not a silent no-op.</summary>
    private void SetLearningRate(T value)
    {
        Optimizer.LearningRate = value;
        if (Optimizer.LearningRate != value)
        {
            ThrowIgnoredLearningRate(value);
        }
    }

    /// <summary>Regularisation of the weights alone needs to know which parameters they are.</summary>
    private void CheckRegularization()
    {
        if ((_l1Regularization > 0 || _l2Regularization > 0) && !RegularizeBiases && !_gradientTransform.KnowsWeights)
        {
            throw new InvalidOperationException(
                $"L1/L2 regularisation of the weights alone needs the network's Architecture in the generated form to tell weights from biases, but it is \"{Network.Architecture}\" for {Network.ParameterCount} parameters. Set RegularizeBiases = true to regularise every parameter.");
        }
    }

    private static double Regularization(double value, string name)
        => double.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");

    [DoesNotReturn]
    private void ThrowIgnoredLearningRate(T value)
        => throw new InvalidOperationException(
            $"The learning-rate schedule set {Optimizer.GetType().Name}.LearningRate to {value}, but it reads back as {Optimizer.LearningRate}: the optimizer must honour its LearningRate setter for a schedule to apply (checked before training starts).");

    [DoesNotReturn]
    private static void ThrowRowIndex(int row, int rows)
        => throw new ArgumentOutOfRangeException("rowOrder", row, $"Row index {row} is outside the {rows} rows of data.");
}
