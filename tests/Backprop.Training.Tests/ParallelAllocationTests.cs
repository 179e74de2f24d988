using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>Runs alone, after the other tests: for counting the bytes every thread allocates, and for tests that need idle thread-pool threads.</summary>
[CollectionDefinition(nameof(AllocationCollection), DisableParallelization = true)]
public sealed class AllocationCollection;

/// <summary>
/// With threads, the allocation that matters happens on thread-pool threads too, so these count every thread's
/// bytes (<see cref="GC.GetTotalAllocatedBytes(bool)"/>) and run alone. The thread pool and the test host may
/// allocate now and then on their own, so each measurement is repeated and the least is taken: a cost per batch,
/// chunk or epoch would show in every repeat.
/// </summary>
[Collection(nameof(AllocationCollection))]
public class ParallelAllocationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TrainEpoch_and_TrainBatch_allocate_nothing_on_any_thread(int threads)
    {
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 256, seed: 1);
        var trainer = new Trainer<float>(new Digits64(), new Adam<float>(Digits64.ParameterCount)) { MaxDegreeOfParallelism = threads };
        int[] order = [.. Enumerable.Range(0, 256).Reverse()];
        trainer.TrainEpoch(x, y, order, batchSize: 64, cancellationToken: Ct);
        trainer.TrainBatch(x, y);

        long least = LeastAllocated(() =>
        {
            for (int epoch = 0; epoch < 3; epoch++)
            {
                trainer.TrainEpoch(x, y, order, batchSize: 64, cancellationToken: Ct);
                trainer.TrainBatch(x.AsSpan(0, 100 * 64), y.AsSpan(0, 100 * 10));
            }
        });

        Assert.Equal(0, least);
    }

    [Fact]
    public void Fit_with_threads_allocates_per_call_not_per_epoch()
    {
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 256, seed: 1);
        var trainer = new Trainer<float>(new Digits64(), new Adam<float>(Digits64.ParameterCount)) { MaxDegreeOfParallelism = 2 };
        TrainingOptions Epochs(int epochs) => new() { Epochs = epochs, BatchSize = 64, ValidationSplit = 0.25 };
        trainer.Fit(x, y, Epochs(2), cancellationToken: Ct);

        long one = LeastAllocated(() => trainer.Fit(x, y, Epochs(1), cancellationToken: Ct));
        long ten = LeastAllocated(() => trainer.Fit(x, y, Epochs(10), cancellationToken: Ct));

        long perEpoch = System.Runtime.CompilerServices.Unsafe.SizeOf<EpochProgress>();
        Assert.True(ten - one <= 9 * perEpoch + 8, $"1 epoch allocated {one} bytes, 10 epochs {ten}: more than one EpochProgress ({perEpoch}) per epoch.");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Parallel_ForwardBatch_allocates_nothing_on_any_thread(int threads)
    {
        var network = new Digits64();
        float[] x = Data.Uniform<float>(1000 * 64, seed: 1);
        float[] outputs = new float[1000 * 10];
        network.ForwardBatch(x, outputs, threads);

        long least = LeastAllocated(() =>
        {
            for (int repeat = 0; repeat < 20; repeat++)
            {
                network.ForwardBatch(x, outputs, threads);
            }
        });

        Assert.Equal(0, least);
    }

    private static long LeastAllocated(Action action)
    {
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 5 && least > 0; attempt++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            action();
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }

        return least;
    }
}
