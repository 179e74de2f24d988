using BenchmarkDotNet.Attributes;
using Backprop.Benchmarks.Networks;
using Backprop.Optimizers;
using Backprop.Training;

namespace Backprop.Benchmarks;

/// <summary>
/// Issue 13's many cores on 784-128-10: <c>ForwardBatch</c> over 4,096 rows through the parallel extension, and a
/// <c>Fit</c> epoch over 1,024 rows in batches of 64 (16 optimizer steps, with SGD and with Adam, each step split
/// across the threads too), each at <see cref="Threads"/> 1 and 2, so the speed-up is the ratio of the two rows.
/// <c>TrainBatch64</c> is one trainer step of 64 rows (SGD), and <c>TrainBatch64_Network</c> the network's own
/// TrainBatch of the same rows, the control for what the trainer's blocks (32 rows in a batch of 64) cost on one thread. Run with
/// <c>--filter '*Parallel*'</c>; not in the ratio table (Program reads NetworkBenchmarks and WeightStreamBenchmarks only).
/// </summary>
[MemoryDiagnoser]
public class ParallelBenchmarks
{
    private const int ForwardRows = 4096;
    private const int FitRows = 1024;
    private const int BatchRows = 64;

    private readonly Mnist784x128x10 _network = new();
    private Trainer<float> _sgd = null!;
    private Trainer<float> _adam = null!;
    private TrainingOptions _options = null!;
    private float[] _inputs = [];
    private float[] _targets = [];
    private float[] _outputs = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _network.InitializeParameters(5);
        Random random = new(5);
        _inputs = new float[ForwardRows * Mnist784x128x10.InputCount];
        _targets = new float[ForwardRows * Mnist784x128x10.OutputCount];
        _outputs = new float[ForwardRows * Mnist784x128x10.OutputCount];
        for (int i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)random.NextDouble();
        }

        for (int r = 0; r < ForwardRows; r++)
        {
            _targets[(r * Mnist784x128x10.OutputCount) + random.Next(Mnist784x128x10.OutputCount)] = 1f;
        }

        _sgd = new Trainer<float>(_network, new Sgd<float>(Mnist784x128x10.ParameterCount) { LearningRate = 1e-4f })
        {
            MaxDegreeOfParallelism = Threads,
        };
        _adam = new Trainer<float>(_network, new Adam<float>(Mnist784x128x10.ParameterCount) { LearningRate = 1e-5f })
        {
            MaxDegreeOfParallelism = Threads,
        };
        _options = new TrainingOptions { Epochs = 1, BatchSize = BatchRows, Seed = 1 };
    }

    [Benchmark]
    public void ForwardBatch4096() => ((INetwork<float>)_network).ForwardBatch(_inputs, _outputs, Threads);

    [Benchmark]
    public TrainingResult Fit1024_Batch64_Sgd() =>
        _sgd.Fit(_inputs.AsSpan(0, FitRows * Mnist784x128x10.InputCount), _targets.AsSpan(0, FitRows * Mnist784x128x10.OutputCount), _options);

    [Benchmark]
    public TrainingResult Fit1024_Batch64_Adam() =>
        _adam.Fit(_inputs.AsSpan(0, FitRows * Mnist784x128x10.InputCount), _targets.AsSpan(0, FitRows * Mnist784x128x10.OutputCount), _options);

    [Benchmark]
    public float TrainBatch64() =>
        _sgd.TrainBatch(_inputs.AsSpan(0, BatchRows * Mnist784x128x10.InputCount), _targets.AsSpan(0, BatchRows * Mnist784x128x10.OutputCount));

    [Benchmark]
    public float TrainBatch64_Network() =>
        _network.TrainBatch(_inputs.AsSpan(0, BatchRows * Mnist784x128x10.InputCount), _targets.AsSpan(0, BatchRows * Mnist784x128x10.OutputCount), 1e-4f);
}
