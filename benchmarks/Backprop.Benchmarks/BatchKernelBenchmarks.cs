using System.Globalization;
using Backprop.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Backprop.Benchmarks;

/// <summary>
/// The batch kernels (<see cref="BatchKernels"/>) on their own, float, one thread, at the layers of the benchmark
/// networks (<c>Layer</c> is inputs x neurons): Forward over 256 rows (a batched inference), Propagate and
/// Accumulate over 32 rows (a TrainBatch of 32), and Forward over 32 rows; <c>Forward256_PerRow</c> is the per-row
/// kernel (<see cref="DenseKernels.Forward{T}"/> once per row) for comparison. The GFLOP/s column is 2·rows·inputs·neurons
/// over the mean; the "x peak" column divides the mean by the FLOP floor, the FLOPs over the peak FMA throughput of
/// <see cref="PeakFmaBenchmarks"/> from the same summary, so run them joined:
/// <c>dotnet run -c Release --project benchmarks/Backprop.Benchmarks -- --filter '*BatchKernel*' '*PeakFma*' --join</c>.
/// </summary>
[Config(typeof(Columns))]
public class BatchKernelBenchmarks
{
    private float[] _weights = [], _biases = [], _inputs = [], _outputs = [], _deltas = [], _propagated = [], _weightGradient = [], _biasGradient = [];
    private int _inputCount, _neurons;

    /// <summary>Inputs x neurons: both layers of 784-128-10, 64-32-10, 16-16-16-4, 4-8-3 and 2-3-1.</summary>
    [Params("784x128", "128x10", "64x32", "32x10", "16x16", "16x4", "4x8", "8x3", "2x3", "3x1")]
    public string Layer { get; set; } = "";

    public const int ForwardRows = 256;

    public const int TrainRows = 32;

    [GlobalSetup]
    public void Setup()
    {
        string[] sizes = Layer.Split('x');
        _inputCount = int.Parse(sizes[0], CultureInfo.InvariantCulture);
        _neurons = int.Parse(sizes[1], CultureInfo.InvariantCulture);
        var random = new Random(13);
        float[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        _weights = Values(_neurons * _inputCount);
        _biases = Values(_neurons);
        _inputs = Values(ForwardRows * _inputCount);
        _outputs = new float[ForwardRows * _neurons];
        _deltas = Values(TrainRows * _neurons);
        _propagated = new float[TrainRows * _inputCount];
        _weightGradient = new float[_neurons * _inputCount];
        _biasGradient = new float[_neurons];
    }

    [Benchmark]
    public void Forward256() => BatchKernels.Forward<float>(_weights, _biases, _inputs, _outputs, ForwardRows);

    [Benchmark]
    public void Forward256_PerRow()
    {
        for (int r = 0; r < ForwardRows; r++)
        {
            DenseKernels.Forward<float>(_weights, _biases, _inputs.AsSpan(r * _inputCount, _inputCount), _outputs.AsSpan(r * _neurons, _neurons));
        }
    }

    [Benchmark]
    public void Forward32() => BatchKernels.Forward<float>(
        _weights, _biases, _inputs.AsSpan(0, TrainRows * _inputCount), _outputs.AsSpan(0, TrainRows * _neurons), TrainRows);

    [Benchmark]
    public void Propagate32() => BatchKernels.Propagate<float>(_weights, _deltas, _propagated, TrainRows);

    [Benchmark]
    public void Accumulate32()
    {
        // Adds into the gradient on every call; the values stay small (deltas and inputs in [−1, 1)).
        BatchKernels.Accumulate<float>(_weightGradient, _biasGradient, _deltas, _inputs.AsSpan(0, TrainRows * _inputCount), TrainRows);
    }

    /// <summary>The FLOPs of one call of the benchmark, 2·rows·inputs·neurons (the bias and db terms left out).</summary>
    private static double Flops(BenchmarkCase benchmark)
    {
        string[] sizes = ((string)benchmark.Parameters["Layer"]).Split('x');
        double weights = double.Parse(sizes[0], CultureInfo.InvariantCulture) * double.Parse(sizes[1], CultureInfo.InvariantCulture);
        int rows = benchmark.Descriptor.WorkloadMethod.Name.StartsWith("Forward256", StringComparison.Ordinal) ? ForwardRows : TrainRows;
        return 2 * rows * weights;
    }

    private sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new FlopColumn(peakRatio: false), new FlopColumn(peakRatio: true));
        }
    }

    /// <summary>GFLOP/s of a case, or its mean over the FLOP floor (the peak from PeakFmaBenchmarks in the same summary).</summary>
    private sealed class FlopColumn(bool peakRatio) : IColumn
    {
        public string Id => peakRatio ? "BatchKernelPeakRatio" : "BatchKernelGflops";

        public string ColumnName => peakRatio ? "x FLOP floor" : "GFLOP/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => peakRatio ? 1 : 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => peakRatio
            ? "Mean / (FLOPs / peak single-thread FMA GFLOP/s of PeakFmaBenchmarks in the same summary; run with --join)"
            : "2·rows·inputs·neurons / Mean";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            if (benchmarkCase.Descriptor.Type != typeof(BatchKernelBenchmarks) || summary[benchmarkCase]?.ResultStatistics is not { } statistics)
            {
                return "-";
            }

            double gflops = Flops(benchmarkCase) / statistics.Mean; // FLOP / ns = GFLOP/s
            if (!peakRatio)
            {
                return gflops.ToString("F1", CultureInfo.InvariantCulture);
            }

            double peak = summary.Reports
                .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(PeakFmaBenchmarks) && r.ResultStatistics is not null)
                .Select(r => PeakFmaBenchmarks.Flops(r.BenchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("512", StringComparison.Ordinal) ? 16 : 8) / r.ResultStatistics!.Mean)
                .DefaultIfEmpty(double.NaN)
                .Max();
            return double.IsNaN(peak) ? "-" : (peak / gflops).ToString("F2", CultureInfo.InvariantCulture);
        }
    }
}
