using System.Numerics;
using System.Numerics.Tensors;
using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>
/// <see cref="Trainer{T}.MaxDegreeOfParallelism"/>: the gradient of a batch summed in blocks of 16 rows (32 from
/// batches of 64 rows on), in block order, so that the number of threads never changes a bit.
/// </summary>
public class ParallelTrainerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_gives_bit_identical_parameters_and_losses_on_1_2_and_3_threads_float(bool slowBlocks)
    {
        (float[] x, float[] y) = Classes<float>(rows: 300, seed: 11);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 70, Seed = 5, ValidationSplit = 0.2 };

        (float[] Parameters, TrainingResult Result)[] runs =
            [.. new[] { 1, 2, 3 }.Select(threads => Train(new Digits64(), threads, slowBlocks, x, y, options))];

        AssertSameBits(runs[0].Parameters, runs[1].Parameters);
        AssertSameBits(runs[0].Parameters, runs[2].Parameters);
        Assert.Equal(runs[0].Result.History.Select(Losses), runs[1].Result.History.Select(Losses));
        Assert.Equal(runs[0].Result.History.Select(Losses), runs[2].Result.History.Select(Losses));
        Assert.True(runs[0].Result.Final.TrainLoss < runs[0].Result.History[0].TrainLoss, "It trained.");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fit_gives_bit_identical_parameters_and_losses_on_1_2_and_3_threads_double(bool slowBlocks)
    {
        (double[] x, double[] y) = Classes<double>(rows: 300, seed: 12);
        var options = new TrainingOptions { Epochs = 4, BatchSize = 100, Seed = 6, ValidationSplit = 0.1 };

        (double[] Parameters, TrainingResult Result)[] runs =
            [.. new[] { 1, 2, 3 }.Select(threads => Train(new Digits64Double(), threads, slowBlocks, x, y, options))];

        AssertSameBits(runs[0].Parameters, runs[1].Parameters);
        AssertSameBits(runs[0].Parameters, runs[2].Parameters);
        Assert.Equal(runs[0].Result.History.Select(Losses), runs[1].Result.History.Select(Losses));
        Assert.Equal(runs[0].Result.History.Select(Losses), runs[2].Result.History.Select(Losses));
    }

    [Fact]
    public void Many_short_batches_on_a_tiny_network_give_the_same_bits_on_1_2_and_3_threads()
    {
        // Batches of microseconds: helpers the thread pool starts late join later batches, or find theirs done.
        (float[] x, float[] y) = Data.Blobs<float>(120, seed: 1);
        var options = new TrainingOptions { Epochs = 40, BatchSize = 40, Seed = 3, ValidationSplit = 0.25 };

        (float[] Parameters, TrainingResult Result)[] runs =
            [.. new[] { 1, 2, 3 }.Select(threads => Train(new Classifier(), threads, false, x, y, options))];

        AssertSameBits(runs[0].Parameters, runs[1].Parameters);
        AssertSameBits(runs[0].Parameters, runs[2].Parameters);
        Assert.Equal(runs[0].Result.History.Select(Losses), runs[2].Result.History.Select(Losses));
    }

    public static TheoryData<string> Optimizers => new() { "Sgd", "Momentum", "Nesterov", "Adam", "AdamW", "RmsProp" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_built_in_optimizer_steps_in_ranges_on_threads_with_the_bits_of_one_Step(string optimizer)
    {
        // One thread calls Step; two and three cut it into ranges of 1,024 parameters, Digits64's 2,410 into three
        // (the last, 362, ends in a scalar tail), stepped on whichever thread claims them.
        (float[] x, float[] y) = Classes<float>(rows: 48, seed: 21);
        float[][] runs = [.. new[] { 1, 2, 3 }.Select(threads => TrainBatches(new Digits64(), Optimizer<float>(optimizer, Digits64.ParameterCount), threads, x, y))];

        AssertSameBits(runs[0], runs[1]);
        AssertSameBits(runs[0], runs[2]);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_built_in_optimizer_steps_in_ranges_on_threads_with_the_bits_of_one_Step_double(string optimizer)
    {
        (double[] x, double[] y) = Classes<double>(rows: 48, seed: 22);
        double[][] runs = [.. new[] { 1, 3 }.Select(threads => TrainBatches(new Digits64Double(), Optimizer<double>(optimizer, Digits64Double.ParameterCount), threads, x, y))];

        AssertSameBits(runs[0], runs[1]);
    }

    [Theory]
    [InlineData(1, 40)]
    [InlineData(2, 40)]
    [InlineData(3, 40)]
    [InlineData(1, 72)]
    [InlineData(2, 72)]
    [InlineData(3, 72)]
    public void A_batch_gradient_is_the_sum_of_16_or_32_row_blocks_in_block_order(int threads, int batchRows)
    {
        // 40 rows: blocks of rows 0-15, 16-31 and 32-39, each BackwardBatch'ed into zeros, then ((g0 + g1) + g2).
        // 72 rows, at least 64: blocks of 32, rows 0-31, 32-63 and 64-71.
        (float[] x, float[] y) = Classes<float>(rows: batchRows, seed: 3);
        INetwork<float> network = new Digits64();
        network.InitializeParameters(9);
        float[] expected = network.Parameters.ToArray();
        var viaTrainer = new Digits64();
        network.Parameters.CopyTo(viaTrainer.Parameters);
        var trainer = new Trainer<float>(viaTrainer, new Sgd<float>(Digits64.ParameterCount) { LearningRate = 0.1f }) { MaxDegreeOfParallelism = threads };

        float loss = trainer.TrainBatch(x, y);

        float[] sum = new float[Digits64.ParameterCount];
        double lossSum = 0;
        (int First, int Rows)[] blocks = batchRows == 40 ? [(0, 16), (16, 16), (32, 8)] : [(0, 32), (32, 32), (64, 8)];
        foreach ((int first, int rows) in blocks)
        {
            float[] block = new float[Digits64.ParameterCount];
            lossSum += network.BackwardBatch(x.AsSpan(first * 64, rows * 64), y.AsSpan(first * 10, rows * 10), block);
            TensorPrimitives.Add(sum, block, sum);
        }

        TensorPrimitives.Multiply(sum, 1f / batchRows, sum);
        new Sgd<float>(Digits64.ParameterCount) { LearningRate = 0.1f }.Step(expected, sum);
        AssertSameBits(expected, viaTrainer.Parameters.ToArray());
        Assert.Equal((float)(lossSum / batchRows), loss);
    }

    public static TheoryData<string, int> OptimizersAndThreads => new(
        from optimizer in new[] { "Sgd", "Momentum", "Nesterov", "Adam", "AdamW", "RmsProp" }
        from threads in new[] { 1, 2, 3 }
        select (optimizer, threads));

    [Theory]
    [MemberData(nameof(OptimizersAndThreads))]
    public void Every_built_in_optimizer_steps_a_batch_of_several_blocks_with_the_bits_of_the_mean_gradient_then_one_Step(string optimizer, int threads)
    {
        // 40 rows, three blocks, on any number of threads (the step cut into ranges there): the same bits as the blocks'
        // gradients added in order, scaled by 1/40 and handed to Step, twice over (the second step reads the optimizer's state).
        (float[] x, float[] y) = Classes<float>(rows: 40, seed: 23);
        INetwork<float> network = new Digits64();
        network.InitializeParameters(12);
        float[] expected = network.Parameters.ToArray();
        var viaTrainer = new Digits64();
        network.Parameters.CopyTo(viaTrainer.Parameters);
        var trainer = new Trainer<float>(viaTrainer, Optimizer<float>(optimizer, Digits64.ParameterCount)) { MaxDegreeOfParallelism = threads };
        IOptimizer<float> reference = Optimizer<float>(optimizer, Digits64.ParameterCount);

        for (int step = 0; step < 2; step++)
        {
            trainer.TrainBatch(x, y);

            var copy = new Digits64();
            expected.CopyTo(copy.Parameters);
            float[] sum = new float[Digits64.ParameterCount];
            foreach ((int first, int rows) in new[] { (0, 16), (16, 16), (32, 8) })
            {
                float[] block = new float[Digits64.ParameterCount];
                ((INetwork<float>)copy).BackwardBatch(x.AsSpan(first * 64, rows * 64), y.AsSpan(first * 10, rows * 10), block);
                TensorPrimitives.Add(sum, block, sum);
            }

            TensorPrimitives.Multiply(sum, 1f / 40, sum);
            reference.Step(expected, sum);
            AssertSameBits(expected, viaTrainer.Parameters.ToArray());
        }
    }

    [Fact]
    public void A_failing_block_changes_neither_the_parameters_nor_the_optimizer_s_state()
    {
        // 64 rows on two threads are two blocks of 32, one on each: the second block throws.
        (float[] x, float[] y) = Classes<float>(rows: 64, seed: 6);
        var network = new ObservedNetwork<float>(new Digits64()) { DelayMilliseconds = 5, ThrowOnCall = 2 };
        network.InitializeParameters(2);
        var adam = new Adam<float>(Digits64.ParameterCount) { LearningRate = 0.02f };
        var trainer = new Trainer<float>(network, adam) { MaxDegreeOfParallelism = 2 };
        float[] before = network.Parameters.ToArray();

        Assert.Throws<InvalidOperationException>(() => trainer.TrainBatch(x, y));

        Assert.Equal(0, network.Running);
        Assert.Equal(0, adam.StepCount);
        AssertSameBits(before, network.Parameters.ToArray());

        // The next step is a fresh trainer's first.
        network.ThrowOnCall = null;
        trainer.TrainBatch(x, y);
        var fresh = new Digits64();
        fresh.InitializeParameters(2);
        new Trainer<float>(fresh, new Adam<float>(Digits64.ParameterCount) { LearningRate = 0.02f }).TrainBatch(x, y);
        AssertSameBits(fresh.Parameters.ToArray(), network.Parameters.ToArray());
        Assert.Equal(1, adam.StepCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void An_epoch_gathers_each_block_through_the_row_indices(int threads)
    {
        // TrainEpoch over a shuffled order = TrainBatch over the same rows copied out in that order.
        (double[] x, double[] y) = Classes<double>(rows: 100, seed: 4);
        int[] order = [.. Enumerable.Range(0, 100).OrderBy(i => (i * 37) % 101)];
        var viaEpoch = new Digits64Double();
        var viaBatches = new Digits64Double();
        var epochTrainer = new Trainer<double>(viaEpoch, new Adam<double>(Digits64Double.ParameterCount)) { MaxDegreeOfParallelism = threads };
        var batchTrainer = new Trainer<double>(viaBatches, new Adam<double>(Digits64Double.ParameterCount));

        double epochLoss = epochTrainer.TrainEpoch(x, y, order, batchSize: 45, Ct);

        double lossSum = 0;
        foreach (int[] batch in order.Chunk(45))
        {
            double[] bx = [.. batch.SelectMany(r => x.Skip(r * 64).Take(64))];
            double[] by = [.. batch.SelectMany(r => y.Skip(r * 10).Take(10))];
            lossSum += batchTrainer.TrainBatch(bx, by) * batch.Length;
        }

        AssertSameBits(viaBatches.Parameters.ToArray(), viaEpoch.Parameters.ToArray());
        Assert.Equal(lossSum / 100, epochLoss, 1e-12);
    }

    [Fact]
    public void A_failing_block_reaches_the_caller_with_no_thread_left_running_and_the_trainer_still_works()
    {
        // 96 rows are three blocks of 32, in one wave on two threads: the third throws.
        (float[] x, float[] y) = Classes<float>(rows: 96, seed: 5);
        var network = new ObservedNetwork<float>(new Digits64()) { DelayMilliseconds = 5, ThrowOnCall = 3 };
        network.InitializeParameters(2);
        var trainer = new Trainer<float>(network, new Sgd<float>(Digits64.ParameterCount)) { MaxDegreeOfParallelism = 2 };
        float[] before = network.Parameters.ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => trainer.TrainBatch(x, y));

        Assert.Equal("Batch call 3 fails on purpose.", error.Message);
        Assert.Contains(nameof(ObservedNetwork<float>.BackwardBatch), error.StackTrace);
        Assert.Equal(0, network.Running);
        AssertSameBits(before, network.Parameters.ToArray());

        // The blocks' buffers were left clean: the next step is the one a new trainer takes.
        network.ThrowOnCall = null;
        trainer.TrainBatch(x, y);
        var fresh = new Digits64();
        fresh.InitializeParameters(2);
        new Trainer<float>(fresh, new Sgd<float>(Digits64.ParameterCount)).TrainBatch(x, y);
        AssertSameBits(fresh.Parameters.ToArray(), network.Parameters.ToArray());
    }

    [Fact]
    public void Cancellation_is_checked_before_every_batch_with_threads_too()
    {
        (float[] x, float[] y) = Classes<float>(rows: 64, seed: 6);
        var trainer = new Trainer<float>(new Digits64(), new Sgd<float>(Digits64.ParameterCount)) { MaxDegreeOfParallelism = 2 };
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochProgress>(p =>
        {
            if (p.Epoch == 2)
            {
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(x, y, new TrainingOptions { Epochs = 10, BatchSize = 32 }, progress, cancellation.Token));
    }

    [Fact]
    public void MaxDegreeOfParallelism_is_1_unless_set_and_is_checked()
    {
        var trainer = new Trainer<float>(new Digits64(), new Sgd<float>(Digits64.ParameterCount));

        Assert.Equal(1, trainer.MaxDegreeOfParallelism);
        trainer.MaxDegreeOfParallelism = -1;
        Assert.Equal(-1, trainer.MaxDegreeOfParallelism);
        trainer.MaxDegreeOfParallelism = 64;
        Assert.Equal("MaxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.MaxDegreeOfParallelism = 0).ParamName);
        Assert.Equal("MaxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => trainer.MaxDegreeOfParallelism = -2).ParamName);
        Assert.Equal(64, trainer.MaxDegreeOfParallelism);
    }

    [Fact]
    public void All_processors_trains_like_one_thread()
    {
        (float[] x, float[] y) = Classes<float>(rows: 200, seed: 7);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 64, Seed = 1 };

        float[] one = Train(new Digits64(), 1, false, x, y, options).Parameters;
        float[] all = Train(new Digits64(), -1, false, x, y, options).Parameters;

        AssertSameBits(one, all);
    }

    /// <summary>
    /// Rows of 64 inputs in [−1, 1] and one-hot targets of 10 classes, the class a function of the inputs so that
    /// there is something to learn.
    /// </summary>
    internal static (T[] Inputs, T[] Targets) Classes<T>(int rows, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] inputs = Data.Uniform<T>(rows * 64, seed);
        var targets = new T[rows * 10];
        for (int row = 0; row < rows; row++)
        {
            int label = 0;
            for (int i = 0; i < 10; i++)
            {
                if (inputs[(row * 64) + (i * 6)] > inputs[(row * 64) + (label * 6)])
                {
                    label = i;
                }
            }

            targets[(row * 10) + label] = T.One;
        }

        return (inputs, targets);
    }

    internal static void AssertSameBits<T>(T[] expected, T[] actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            // Bits, not values: 0 and −0, or two NaNs, must not pass for one another.
            if (!MemoryExtensions.SequenceEqual(
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(expected.AsSpan(i, 1)),
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(actual.AsSpan(i, 1))))
            {
                Assert.Fail($"Parameter {i}: expected {expected[i]:R}, got {actual[i]:R}.");
            }
        }
    }

    private static (double Train, double? Validation, double? Accuracy) Losses(EpochProgress p) => (p.TrainLoss, p.ValidationLoss, p.ValidationAccuracy);

    private static (T[] Parameters, TrainingResult Result) Train<T>(INetwork<T> network, int threads, bool slowBlocks, T[] x, T[] y, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(21);
        INetwork<T> trained = slowBlocks ? new ObservedNetwork<T>(network) { DelayMilliseconds = 1 } : network;
        var trainer = new Trainer<T>(trained, new Adam<T>(network.ParameterCount) { LearningRate = T.CreateTruncating(0.01) })
        {
            MaxDegreeOfParallelism = threads,
        };
        TrainingResult result = trainer.Fit(x, y, options, cancellationToken: Ct);
        return (network.Parameters.ToArray(), result);
    }

    /// <summary>Five batch steps from the same initial parameters; the parameters after them.</summary>
    private static T[] TrainBatches<T>(INetwork<T> network, IOptimizer<T> optimizer, int threads, T[] x, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        network.InitializeParameters(8);
        var trainer = new Trainer<T>(network, optimizer) { MaxDegreeOfParallelism = threads };
        T[] before = network.Parameters.ToArray();
        for (int step = 0; step < 5; step++)
        {
            trainer.TrainBatch(x, y);
        }

        Assert.NotEqual(before, network.Parameters.ToArray());
        return network.Parameters.ToArray();
    }

    private static IOptimizer<T> Optimizer<T>(string name, int parameterCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T Of(double value) => T.CreateTruncating(value);
        return name switch
        {
            "Sgd" => new Sgd<T>(parameterCount) { LearningRate = Of(0.05) },
            "Momentum" => new Momentum<T>(parameterCount) { LearningRate = Of(0.05), Coefficient = Of(0.8) },
            "Nesterov" => new Momentum<T>(parameterCount) { LearningRate = Of(0.05), Coefficient = Of(0.8), Nesterov = true },
            "Adam" => new Adam<T>(parameterCount) { LearningRate = Of(0.02) },
            "AdamW" => new Adam<T>(parameterCount) { LearningRate = Of(0.02), WeightDecay = Of(0.1) },
            "RmsProp" => new RmsProp<T>(parameterCount) { LearningRate = Of(0.005), Momentum = Of(0.5), Centered = true },
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }
}
