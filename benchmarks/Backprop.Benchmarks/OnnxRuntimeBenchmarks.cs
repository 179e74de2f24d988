using BenchmarkDotNet.Attributes;

namespace Backprop.Benchmarks;

/// <summary>
/// ONNX Runtime on the same networks, weights and rows as <see cref="NetworkBenchmarks"/> (<see cref="OnnxRuntimePeer"/>
/// says what each path does): Forward of one row and ForwardBatch of 256 rows, by the OrtValue and IOBinding paths
/// (the ratio table keeps the faster of the two as "ONNX Runtime, fastest") and by the DenseTensor path users write.
/// Method names are <c>Operation_Implementation</c>, as in <see cref="NetworkBenchmarks"/>. The global setup checks
/// every path's outputs against the generated network's.
/// </summary>
[MemoryDiagnoser]
public class OnnxRuntimeBenchmarks
{
    private OnnxRuntimePeer _ort = null!;

    [Params("2-3-1", "4-8-3", "16-16-16-4", "64-32-10", "784-128-10")]
    public string Network { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _ort = new OnnxRuntimePeer(new Workload(Shape.Get(Network)));
        _ort.Verify();
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark]
    public void Forward_OrtValue() => _ort.ForwardOrtValue();

    [Benchmark]
    public void Forward_IOBinding() => _ort.ForwardIOBinding();

    [Benchmark]
    public void Forward_DenseTensor() => _ort.ForwardDenseTensor();

    [Benchmark]
    public void ForwardBatch256_OrtValue() => _ort.ForwardBatchOrtValue();

    [Benchmark]
    public void ForwardBatch256_IOBinding() => _ort.ForwardBatchIOBinding();

    [Benchmark]
    public void ForwardBatch256_DenseTensor() => _ort.ForwardBatchDenseTensor();
}
