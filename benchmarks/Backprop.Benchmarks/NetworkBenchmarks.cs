using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// The generated networks against the two baselines, per operation: Forward of one row, ForwardBatch of 256
/// rows (the generated network's <see cref="INetwork{T}.ForwardBatch"/>, through the interface; the baselines
/// have no batch form and run their Forward once per row), TrainStep (per-sample SGD) of one row, TrainBatch of
/// 32 rows. Method names are <c>Operation_Implementation</c>; the ratio step (Program) reads them. The global
/// setup checks that all three compute the same thing (Workload.Verify).
/// </summary>
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    private Workload _w = null!;

    [Params("2-3-1", "4-8-3", "16-16-16-4", "64-32-10", "784-128-10")]
    public string Network { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _w = new Workload(Shape.Get(Network));
        _w.Verify();
    }

    [Benchmark]
    public void Forward_Generated() => _w.Generated.Forward(_w.Input, _w.Output);

    [Benchmark]
    public void Forward_Textbook() => _w.Textbook.Forward(_w.Input, _w.Output);

    [Benchmark]
    public void Forward_TensorPrimitives() => _w.Tensor.Forward(_w.Input, _w.Output);

    [Benchmark]
    public void ForwardBatch256_Generated() => _w.Generated.ForwardBatch(_w.ForwardInputs, _w.ForwardOutputs);

    [Benchmark]
    public void ForwardBatch256_Textbook()
    {
        int inputs = _w.Shape.InputCount, outputs = _w.Shape.OutputCount;
        for (int r = 0; r < Workload.ForwardRows; r++)
        {
            _w.Textbook.Forward(_w.ForwardInputs.AsSpan(r * inputs, inputs), _w.ForwardOutputs.AsSpan(r * outputs, outputs));
        }
    }

    [Benchmark]
    public void ForwardBatch256_TensorPrimitives()
    {
        int inputs = _w.Shape.InputCount, outputs = _w.Shape.OutputCount;
        for (int r = 0; r < Workload.ForwardRows; r++)
        {
            _w.Tensor.Forward(_w.ForwardInputs.AsSpan(r * inputs, inputs), _w.ForwardOutputs.AsSpan(r * outputs, outputs));
        }
    }

    [Benchmark]
    public float TrainStep_Generated() => _w.Generated.TrainStep(_w.Input, _w.Target, Workload.LearningRate);

    [Benchmark]
    public float TrainStep_Textbook() => _w.Textbook.TrainStep(_w.Input, _w.Target, Workload.LearningRate);

    [Benchmark]
    public float TrainStep_TensorPrimitives() => _w.Tensor.TrainStep(_w.Input, _w.Target, Workload.LearningRate);

    [Benchmark]
    public float TrainBatch32_Generated() => _w.Generated.TrainBatch(_w.Inputs, _w.Targets, Workload.LearningRate);

    [Benchmark]
    public float TrainBatch32_Textbook() => _w.Textbook.TrainBatch(_w.Inputs, _w.Targets, Workload.LearningRate);

    [Benchmark]
    public float TrainBatch32_TensorPrimitives() => _w.Tensor.TrainBatch(_w.Inputs, _w.Targets, Workload.LearningRate);
}
