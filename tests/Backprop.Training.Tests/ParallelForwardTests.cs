using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary><see cref="NetworkExtensions.ForwardBatch{T}(INetwork{T}, ReadOnlySpan{T}, Span{T}, int)"/>: rows in chunks on several threads.</summary>
public class ParallelForwardTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(1000)]
    public void Outputs_are_those_of_one_call_bit_for_bit_float(int rows)
    {
        INetwork<float> network = new Digits64();
        network.InitializeParameters(4);
        float[] x = Data.Uniform<float>(rows * 64, seed: rows);
        float[] expected = new float[rows * 10];
        network.ForwardBatch(x, expected);

        foreach (int threads in new[] { 1, 2, 3, -1 })
        {
            float[] actual = new float[rows * 10];
            network.ForwardBatch(x, actual, maxDegreeOfParallelism: threads);
            ParallelTrainerTests.AssertSameBits(expected, actual);
        }
    }

    [Theory]
    [InlineData(33)]
    [InlineData(500)]
    public void Outputs_are_those_of_one_call_bit_for_bit_double(int rows)
    {
        INetwork<double> network = new Digits64Double();
        network.InitializeParameters(5);
        double[] x = Data.Uniform<double>(rows * 64, seed: rows);
        double[] expected = new double[rows * 10];
        network.ForwardBatch(x, expected);

        foreach (int threads in new[] { 2, 3 })
        {
            double[] actual = new double[rows * 10];
            network.ForwardBatch(x, actual, threads);
            ParallelTrainerTests.AssertSameBits(expected, actual);
        }
    }

    [Fact]
    public void A_failing_chunk_reaches_the_caller_once_no_thread_is_running()
    {
        var network = new ObservedNetwork<float>(new Digits64()) { DelayMilliseconds = 5, ThrowOnCall = 3 };
        float[] x = Data.Uniform<float>(512 * 64, seed: 1);
        float[] outputs = new float[512 * 10];

        var error = Assert.Throws<InvalidOperationException>(() => network.ForwardBatch(x, outputs, maxDegreeOfParallelism: 2));

        Assert.Equal("Batch call 3 fails on purpose.", error.Message);
        Assert.Equal(0, network.Running);
        Assert.True(network.Calls < 8, $"{network.Calls} chunks were started; claims should stop after the failure.");

        // And the next call works.
        network.ThrowOnCall = null;
        network.ForwardBatch(x, outputs, maxDegreeOfParallelism: 2);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var network = new Digits64();
        float[] x = new float[3 * 64];
        float[] y = new float[3 * 10];

        Assert.Throws<ArgumentNullException>(() => ((INetwork<float>)null!).ForwardBatch(x, y, 2));
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => network.ForwardBatch(x.AsSpan(1), y, 2)).ParamName);
        Assert.Equal("outputs", Assert.Throws<ArgumentException>(() => network.ForwardBatch(x, y.AsSpan(1), 2)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardBatch(x, y, 0)).ParamName);
        Assert.Equal("maxDegreeOfParallelism", Assert.Throws<ArgumentOutOfRangeException>(() => network.ForwardBatch(x, y, -2)).ParamName);
        network.ForwardBatch(x, y, -1);
        network.ForwardBatch(ReadOnlySpan<float>.Empty, Span<float>.Empty, 2);
    }

    [Fact]
    public void Calls_from_several_threads_at_once_do_not_mix()
    {
        INetwork<float> network = new Digits64();
        network.InitializeParameters(6);
        float[] x = Data.Uniform<float>(400 * 64, seed: 2);
        float[] expected = new float[400 * 10];
        network.ForwardBatch(x, expected);

        Parallel.For(0, 8, _ =>
        {
            float[] actual = new float[400 * 10];
            for (int repeat = 0; repeat < 5; repeat++)
            {
                network.ForwardBatch(x, actual, maxDegreeOfParallelism: 2);
                ParallelTrainerTests.AssertSameBits(expected, actual);
            }
        });
    }

    [Fact]
    public void A_trained_network_predicts_the_same_through_either_call()
    {
        (float[] x, float[] y) = ParallelTrainerTests.Classes<float>(rows: 200, seed: 3);
        INetwork<float> network = new Digits64();
        new Trainer<float>(network, new Adam<float>(Digits64.ParameterCount)) { MaxDegreeOfParallelism = 2 }
            .Fit(x, y, new TrainingOptions { Epochs = 2 }, cancellationToken: TestContext.Current.CancellationToken);
        float[] one = new float[200 * 10];
        float[] two = new float[200 * 10];

        network.ForwardBatch(x, one);
        network.ForwardBatch(x, two, 2);

        ParallelTrainerTests.AssertSameBits(one, two);
        Assert.True(Evaluation.Accuracy(network, x, y) > 0.1);
    }
}
