using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>
/// That the work really is shared: several threads at once. In the collection that runs alone, because a thread pool
/// kept busy by other tests may start a helper only after the calling thread has done everything itself (which is
/// correct, and what these tests would then see).
/// </summary>
[Collection(nameof(AllocationCollection))]
public class ConcurrencyTests
{
    [Fact]
    public void Blocks_really_run_on_several_threads_at_once()
    {
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 128, seed: 1);
        var network = new ObservedNetwork<float>(new Digits64()) { DelayMilliseconds = 20 };
        var trainer = new Trainer<float>(network, new Sgd<float>(Digits64.ParameterCount)) { MaxDegreeOfParallelism = 3 };

        trainer.TrainBatch(x, y);

        Assert.Equal(4, network.Calls); // 128 rows in blocks of 32
        Assert.True(network.MostAtOnce >= 2, $"At most {network.MostAtOnce} block ran at once.");
        Assert.True(network.Threads.Count >= 2, $"{network.Threads.Count} thread(s) computed blocks.");
        Assert.Equal(0, network.Running);
    }

    [Fact]
    public void Chunks_really_run_on_several_threads_at_once_and_none_outlives_the_call()
    {
        var network = new ObservedNetwork<float>(new Digits64()) { DelayMilliseconds = 20 };
        float[] x = Data.Uniform<float>(256 * 64, seed: 1);
        float[] outputs = new float[256 * 10];

        network.ForwardBatch(x, outputs, maxDegreeOfParallelism: 3);

        Assert.Equal(8, network.Calls); // 256 rows / (4 chunks per thread × 3 threads) = 21.3, rounded up to 32 rows
        Assert.True(network.MostAtOnce >= 2, $"At most {network.MostAtOnce} chunk ran at once.");
        Assert.True(network.Threads.Count >= 2, $"{network.Threads.Count} thread(s) computed chunks.");
        Assert.Equal(0, network.Running);
    }
}
