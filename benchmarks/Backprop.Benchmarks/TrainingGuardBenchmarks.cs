using Backprop.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// What the checks cost that every method changing the parameters makes before it changes any (the learning rate
/// finite and ≥ 0, every input and target finite): <c>Checks_*</c> are those checks alone, exactly as
/// <c>TrainStep</c> and <c>TrainBatch</c> (32 rows) make them, beside the generated method that makes them, in the
/// same run, so the ratio of the two is the checks' share. <c>--filter '*TrainingGuard*'</c>; not in the ratio table.
/// </summary>
[MemoryDiagnoser]
public class TrainingGuardBenchmarks
{
    private Workload _w = null!;

    [Params("2-3-1", "4-8-3", "16-16-16-4", "64-32-10", "784-128-10")]
    public string Network { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _w = new Workload(Shape.Get(Network));

    [Benchmark]
    public void Checks_TrainStep()
    {
        NetworkGuard.LearningRate(Workload.LearningRate);
        NetworkGuard.Finite<float>(_w.Input, _w.Shape.InputCount, "input");
        NetworkGuard.Finite<float>(_w.Target, _w.Shape.OutputCount, "target");
    }

    [Benchmark]
    public float TrainStep() => _w.Generated.TrainStep(_w.Input, _w.Target, Workload.LearningRate);

    [Benchmark]
    public void Checks_TrainBatch32()
    {
        NetworkGuard.LearningRate(Workload.LearningRate);
        NetworkGuard.Finite<float>(_w.Inputs, _w.Shape.InputCount, "inputs");
        NetworkGuard.Finite<float>(_w.Targets, _w.Shape.OutputCount, "targets");
    }

    [Benchmark]
    public float TrainBatch32() => _w.Generated.TrainBatch(_w.Inputs, _w.Targets, Workload.LearningRate);
}
