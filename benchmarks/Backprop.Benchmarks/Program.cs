using System.Globalization;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace Backprop.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Backprop.Benchmarks -- --filter '*'</c> runs everything and
/// then prints the ratios (generated / textbook, generated / TensorPrimitives, generated / floor), also written
/// to <c>BenchmarkDotNet.Artifacts/results/ratios.md</c>. <c>--smoke</c> runs a short job (numbers not to be
/// read, only proof that it runs); <c>--verify</c> only checks that the baselines compute what the generated
/// networks compute. Any other BenchmarkDotNet option works (<c>--list flat</c>, <c>--filter '*784*'</c>, …).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--verify"))
        {
            foreach (Shape shape in Shape.All)
            {
                new Workload(shape).Verify();
                Console.WriteLine($"{shape}: the textbook and TensorPrimitives baselines agree with the generated network.");
            }

            return 0;
        }

        bool smoke = args.Contains("--smoke");
        IConfig config = DefaultConfig.Instance.AddJob(smoke
            ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(20)).WithId("Smoke")
            : Job.Default.WithLaunchCount(1).WithWarmupCount(6).WithIterationCount(15).WithId("Networks"));
        Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run([.. args.Where(a => a != "--smoke")], config)];

        string? ratios = Ratios(summaries, smoke);
        if (ratios is not null)
        {
            Console.WriteLine(ratios);
            string folder = summaries.First().ResultsDirectoryPath;
            File.WriteAllText(Path.Combine(folder, "ratios.md"), ratios);
            Console.WriteLine($"Written to {Path.Combine(folder, "ratios.md")}");
        }

        return 0;
    }

    /// <summary>The ratio table, when the run measured the networks and the FMA peak; null otherwise.</summary>
    private static string? Ratios(Summary[] summaries, bool smoke)
    {
        BenchmarkReport[] reports = [.. summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null)];
        double peakGflops = reports
            .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(PeakFmaBenchmarks))
            .Select(r => PeakFmaBenchmarks.Flops(r.BenchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("512", StringComparison.Ordinal) ? 16 : 8) / r.ResultStatistics!.Mean)
            .DefaultIfEmpty(double.NaN)
            .Max();
        Dictionary<(string Network, string Operation, string Implementation), double> means = reports
            .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(NetworkBenchmarks))
            .ToDictionary(
                r =>
                {
                    string[] name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name.Split('_');
                    return ((string)r.BenchmarkCase.Parameters["Network"], name[0], name[1]);
                },
                r => r.ResultStatistics!.Mean);
        if (means.Count == 0)
        {
            return null;
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder text = new();
        text.AppendLine(smoke ? "Ratios (SMOKE RUN: too short to be read as results)" : "Ratios");
        text.AppendLine();
        text.AppendLine(double.IsNaN(peakGflops)
            ? "Floor: not measured in this run (include PeakFmaBenchmarks in the filter)."
            : string.Create(c, $"Floor: FLOPs of the operation / peak single-thread FMA throughput measured in this run, {peakGflops:F1} GFLOP/s."));
        text.AppendLine();
        text.AppendLine("| Network | Operation | Generated | Textbook | TensorPrimitives | Floor | Generated / textbook | Generated / TensorPrimitives | Generated / floor |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (Shape shape in Shape.All)
        {
            foreach ((string operation, long flops) in new[] { ("Forward", shape.ForwardFlops), ("TrainStep", shape.TrainStepFlops), ("TrainBatch32", shape.TrainBatchFlops(Workload.BatchRows)) })
            {
                double generated = means.GetValueOrDefault((shape.Name, operation, "Generated"), double.NaN);
                double textbook = means.GetValueOrDefault((shape.Name, operation, "Textbook"), double.NaN);
                double tensor = means.GetValueOrDefault((shape.Name, operation, "TensorPrimitives"), double.NaN);
                if (double.IsNaN(generated) && double.IsNaN(textbook) && double.IsNaN(tensor))
                {
                    continue;
                }

                double floor = flops / peakGflops; // FLOP / (GFLOP/s) = ns
                text.AppendLine(string.Create(c,
                    $"| {shape} | {operation} | {Ns(generated)} | {Ns(textbook)} | {Ns(tensor)} | {Ns(floor)} | {generated / textbook:F2} | {generated / tensor:F2} | {generated / floor:F1} |"));
            }
        }

        return text.ToString();

        static string Ns(double ns) => double.IsNaN(ns) ? "–" : ns.ToString(ns < 100 ? "F1" : "N0", CultureInfo.InvariantCulture) + " ns";
    }
}
