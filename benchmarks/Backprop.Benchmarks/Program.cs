using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace Backprop.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Backprop.Benchmarks -- --pytorch --filter '*'</c> runs everything,
/// then PyTorch (<c>benchmarks/peers/pytorch_mlp.py</c>, once BenchmarkDotNet is done so that the two never share
/// the CPU), and prints one table: generated, textbook, TensorPrimitives, PyTorch and the floor, with the speed-ups;
/// also written to <c>BenchmarkDotNet.Artifacts/results/ratios.md</c>. Options of this program (the others go to
/// BenchmarkDotNet: <c>--list flat</c>, <c>--filter '*784*'</c>, …):
/// <list type="bullet">
/// <item><c>--pytorch</c>: time PyTorch on the networks the run measured (interpreter: <c>/usr/bin/python3</c>,
/// or <c>BACKPROP_PYTHON</c>); without it the PyTorch column is empty.</item>
/// <item><c>--pytorch-results FILE</c>: put the figures of an earlier <c>pytorch_mlp.py --json FILE</c> in the column instead.</item>
/// <item><c>--smoke</c>: a short job, and one repeat of PyTorch (numbers not to be read, only proof that it runs).</item>
/// <item><c>--verify</c>: only check that the baselines compute what the generated networks compute.</item>
/// </list>
/// </summary>
public static class Program
{
    private const string ProjectPath = "benchmarks/Backprop.Benchmarks";

    /// <summary>Runs the benchmarks, PyTorch if asked, and prints the ratio table; see the class summary for the options.</summary>
    public static int Main(string[] args)
    {
        if (args.Contains("--verify"))
        {
            foreach (Shape shape in Shape.All)
            {
                Workload workload = new(shape);
                workload.Verify();
                Console.WriteLine($"{shape}: the textbook and TensorPrimitives baselines agree with the generated network (Forward, ForwardBatch, TrainStep, TrainBatch).");
                using (OnnxRuntimePeer ort = new(workload))
                {
                    ort.Verify();
                }

                Console.WriteLine($"{shape}: ONNX Runtime's OrtValue, IOBinding and DenseTensor paths agree with the generated network (Forward, ForwardBatch).");
            }

            return 0;
        }

        Options options;
        PyTorchResults? earlierPyTorch;
        try
        {
            options = Options.Parse(args);
            // Read before the long run, so that a wrong path fails at once rather than after it.
            earlierPyTorch = options.PyTorchResultsPath is null ? null : PyTorchResults.Load(options.PyTorchResultsPath);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            Console.Error.WriteLine($"--pytorch-results: the file cannot be read as pytorch_mlp.py --json output: {e.Message}");
            return 1;
        }

        Summary[] summaries = RunBenchmarks(options);
        Measurements measured = Measurements.Of(summaries);
        if (measured.IsEmpty)
        {
            return 0;
        }

        string folder = summaries.First().ResultsDirectoryPath;
        PyTorchResults pytorch = earlierPyTorch
            ?? (options.RunPyTorch
                ? PyTorchResults.Measure(measured.Networks, options.Smoke ? 1 : null, Path.Combine(folder, "pytorch.json"))
                : PyTorchResults.NotRequested);

        string table = RatioTable(measured, pytorch, options);
        Console.WriteLine(table);
        File.WriteAllText(Path.Combine(folder, "ratios.md"), table);
        Console.WriteLine($"Written to {Path.Combine(folder, "ratios.md")}");
        return 0;
    }

    /// <summary>
    /// <paramref name="words"/> as one POSIX shell command line: words with characters the shell reads are
    /// single-quoted, so the line can be pasted back as it is.
    /// </summary>
    public static string FormatCommand(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static Summary[] RunBenchmarks(Options options)
    {
        IConfig config = DefaultConfig.Instance.AddJob(options.Smoke
            ? Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithIterationTime(TimeInterval.FromMilliseconds(20)).WithId("Smoke")
            : Job.Default.WithLaunchCount(1).WithWarmupCount(6).WithIterationCount(15).WithId("Networks"));
        return [.. BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(options.BenchmarkArguments, config)];
    }

    /// <summary>The table, with under it what its columns mean, the peak it is read against, PyTorch's source and the command that made it.</summary>
    private static string RatioTable(Measurements measured, PyTorchResults pytorch, Options options)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        StringBuilder text = new();
        text.AppendLine(options.Smoke ? "Ratios (SMOKE RUN: too short to be read as results)" : "Ratios");
        text.AppendLine();
        text.AppendLine("| Network | Operation | Generated | Textbook | TensorPrimitives | PyTorch | FLOP floor | Memory floor | vs textbook | vs TensorPrimitives | vs PyTorch | × FLOP floor | × memory floor |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (Shape shape in Shape.All)
        {
            foreach ((string operation, long flops) in new[] { ("Forward", shape.ForwardFlops), ("TrainStep", shape.TrainStepFlops), ($"TrainBatch{Workload.BatchRows}", shape.TrainBatchFlops(Workload.BatchRows)) })
            {
                double generated = measured.Mean(shape.Name, operation, "Generated");
                double textbook = measured.Mean(shape.Name, operation, "Textbook");
                double tensor = measured.Mean(shape.Name, operation, "TensorPrimitives");
                if (double.IsNaN(generated) && double.IsNaN(textbook) && double.IsNaN(tensor))
                {
                    continue;
                }

                double torch = pytorch.Nanoseconds(shape.Name, operation);
                double floor = flops / measured.PeakGflops; // FLOP / (GFLOP/s) = ns
                double memoryFloor = measured.MemoryFloor(shape.Name, operation);
                text.AppendLine(
                    $"| {shape} | {operation} | {Ns(generated)} | {Ns(textbook)} | {Ns(tensor)} | {Ns(torch)} | {Ns(floor)} | {Ns(memoryFloor)} " +
                    $"| {Times(textbook / generated)} | {Times(tensor / generated)} | {Times(torch / generated)} | {Times(generated / floor)} | {Times(generated / memoryFloor)} |");
            }
        }

        text.AppendLine();
        text.AppendLine("- vs X: X's time / the generated code's time (above 1×, the generated code is faster). × FLOP floor, × memory floor: the generated code's time / that floor.");
        text.AppendLine("- Generated, Textbook, TensorPrimitives: BenchmarkDotNet means, one thread.");
        text.AppendLine(double.IsNaN(measured.PeakGflops)
            ? "- FLOP floor: not measured in this run (include PeakFmaBenchmarks in the filter)."
            : string.Create(c, $"- FLOP floor: FLOPs of the operation / peak single-thread FMA throughput measured in this run, {measured.PeakGflops:F1} GFLOP/s."));
        text.AppendLine("- Memory floor: the time to stream the network's weights as the operation must (WeightStreamBenchmarks, same run): Forward reads W once; TrainStep reads it, then reads and writes it; a TrainBatch row reads it twice and reads and writes the gradient, plus one update.");
        text.AppendLine($"- {pytorch.Description}");
        text.AppendLine($"- Command: `{ReproducingCommand(options)}`");
        return text.ToString();

        static string Ns(double ns) => double.IsNaN(ns) ? "–" : ns.ToString(ns < 100 ? "F1" : "N0", CultureInfo.InvariantCulture) + " ns";

        static string Times(double ratio) => double.IsNaN(ratio) ? "–" : ratio.ToString(ratio < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + "×";
    }

    /// <summary>
    /// The <c>dotnet run</c> line, from the repository root, that passes this run's arguments again (after the
    /// interpreter variable when it chose the one that ran PyTorch).
    /// </summary>
    private static string ReproducingCommand(Options options)
    {
        List<string> words = [];
        if (options.RunPyTorch && Environment.GetEnvironmentVariable(PyTorchResults.PythonVariable) is { Length: > 0 } python)
        {
            words.Add($"{PyTorchResults.PythonVariable}={python}");
        }

        words.AddRange(["dotnet", "run", "-c", "Release", "--project", ProjectPath]);
        if (options.All.Length > 0)
        {
            words.Add("--");
            words.AddRange(options.All);
        }

        return FormatCommand(words);
    }

    /// <summary>This program's options, and the arguments left for BenchmarkDotNet.</summary>
    /// <param name="All">The arguments as given, for the command printed under the table.</param>
    private sealed record Options(bool Smoke, bool RunPyTorch, string? PyTorchResultsPath, string[] BenchmarkArguments, string[] All)
    {
        /// <exception cref="ArgumentException">--pytorch-results lacks its file, or comes with --pytorch.</exception>
        public static Options Parse(string[] args)
        {
            bool smoke = false, runPyTorch = false;
            string? resultsPath = null;
            List<string> benchmarkArguments = [];
            for (int i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--smoke":
                        smoke = true;
                        break;
                    case "--pytorch":
                        runPyTorch = true;
                        break;
                    case "--pytorch-results" when i + 1 < args.Length:
                        resultsPath = args[++i];
                        break;
                    case "--pytorch-results":
                        throw new ArgumentException("--pytorch-results needs a file: the JSON written by benchmarks/peers/pytorch_mlp.py --json FILE.");
                    default:
                        benchmarkArguments.Add(args[i]);
                        break;
                }
            }

            if (runPyTorch && resultsPath is not null)
            {
                throw new ArgumentException("--pytorch runs PyTorch and --pytorch-results FILE reads earlier figures: give one of the two.");
            }

            return new(smoke, runPyTorch, resultsPath, [.. benchmarkArguments], args);
        }
    }

    /// <summary>What the BenchmarkDotNet run measured: the networks' means, and the peak FMA throughput (NaN when not measured).</summary>
    private sealed record Measurements(IReadOnlyDictionary<(string Network, string Operation, string Implementation), double> Means, double PeakGflops)
    {
        public bool IsEmpty => Means.Count == 0;

        /// <summary>The measured networks, in the order of <see cref="Shape.All"/>.</summary>
        public IReadOnlyList<string> Networks => [.. Shape.All.Select(s => s.Name).Where(name => Means.Keys.Any(k => k.Network == name))];

        public double Mean(string network, string operation, string implementation) =>
            Means.GetValueOrDefault((network, operation, implementation), double.NaN);

        /// <summary>The least time the operation's passes over the weights take (see WeightStreamBenchmarks); NaN if not measured.</summary>
        public double MemoryFloor(string network, string operation)
        {
            double read = Mean(network, "Stream", "Read");
            double readWrite = Mean(network, "Stream", "ReadWrite");
            return operation switch
            {
                "Forward" => read,
                "TrainStep" => read + readWrite,
                _ => (Workload.BatchRows * ((2 * read) + readWrite)) + readWrite,
            };
        }

        public static Measurements Of(Summary[] summaries)
        {
            BenchmarkReport[] reports = [.. summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null)];
            double peakGflops = reports
                .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(PeakFmaBenchmarks))
                .Select(r => PeakFmaBenchmarks.Flops(r.BenchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("512", StringComparison.Ordinal) ? 16 : 8) / r.ResultStatistics!.Mean)
                .DefaultIfEmpty(double.NaN)
                .Max();
            Dictionary<(string Network, string Operation, string Implementation), double> means = reports
                .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(NetworkBenchmarks) || r.BenchmarkCase.Descriptor.Type == typeof(WeightStreamBenchmarks))
                .ToDictionary(
                    r =>
                    {
                        string[] name = r.BenchmarkCase.Descriptor.WorkloadMethod.Name.Split('_');
                        return ((string)r.BenchmarkCase.Parameters["Network"], name[0], name[1]);
                    },
                    r => r.ResultStatistics!.Mean);
            return new(means, peakGflops);
        }
    }
}
