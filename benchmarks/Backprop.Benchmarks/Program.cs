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
/// <c>dotnet run -c Release --project benchmarks/Backprop.Benchmarks -- --pytorch --filter '*'</c> runs everything:
/// the generated networks, the textbook and TensorPrimitives loops and ONNX Runtime under BenchmarkDotNet, then
/// (once it is done, so that they never share the CPU) FANN (<c>benchmarks/peers/fann_mlp.c</c>, compiled here) and
/// PyTorch (<c>benchmarks/peers/pytorch_mlp.py</c>) on the same weights and rows, and prints one table: every
/// implementation, the floors, and the speed-ups; also written to <c>BenchmarkDotNet.Artifacts/results/ratios.md</c>.
/// Options of this program (the others go to BenchmarkDotNet: <c>--list flat</c>, <c>--filter '*784*'</c>, …):
/// <list type="bullet">
/// <item><c>--pytorch</c>: time PyTorch on the networks the run measured (interpreter: <c>/usr/bin/python3</c>,
/// or <c>BACKPROP_PYTHON</c>); without it the PyTorch column is empty.</item>
/// <item><c>--pytorch-results FILE</c>: put the figures of an earlier <c>pytorch_mlp.py --json FILE</c> in the column instead.</item>
/// <item><c>--no-fann</c>: leave FANN out; otherwise it runs whenever <c>/usr/include/floatfann.h</c> exists
/// (Debian's libfann-dev) and the column says why when it does not.</item>
/// <item><c>--smoke</c>: a short job, and one repeat of FANN and PyTorch (numbers not to be read, only proof that it runs).</item>
/// <item><c>--verify</c>: only check that every baseline and peer computes what the generated networks compute.</item>
/// </list>
/// </summary>
public static class Program
{
    private const string ProjectPath = "benchmarks/Backprop.Benchmarks";

    /// <summary>Runs the benchmarks, the peers, and prints the ratio table; see the class summary for the options.</summary>
    public static int Main(string[] args)
    {
        if (args.Contains("--verify"))
        {
            return Verify(args.Contains("--no-fann"));
        }

        Options options;
        PeerResults? earlierPyTorch;
        try
        {
            options = Options.Parse(args);
            // Read before the long run, so that a wrong path fails at once rather than after it.
            earlierPyTorch = options.PyTorchResultsPath is null ? null : PeerResults.LoadPyTorch(options.PyTorchResultsPath);
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
        string peerFolder = Path.Combine(folder, "peers");
        int? repeats = options.Smoke ? 1 : null;
        bool runFann = !options.NoFann;
        if (runFann || options.RunPyTorch)
        {
            PeerResults.WriteData(measured.Networks, peerFolder);
        }

        PeerResults fann = runFann
            ? PeerResults.MeasureFann(peerFolder, peerFolder, repeats, Path.Combine(folder, "fann.json"))
            : PeerResults.FannNotRequested;
        PeerResults pytorch = earlierPyTorch
            ?? (options.RunPyTorch
                ? PeerResults.MeasurePyTorch(peerFolder, repeats, Path.Combine(folder, "pytorch.json"))
                : PeerResults.PyTorchNotRequested);

        string table = RatioTable(measured, fann, pytorch, options);
        Console.WriteLine(table);
        File.WriteAllText(Path.Combine(folder, "ratios.md"), table);
        Console.WriteLine($"Written to {Path.Combine(folder, "ratios.md")}");
        return 0;
    }

    /// <summary>
    /// <c>--verify</c>: the baselines and ONNX Runtime against the generated network on every network, then FANN and
    /// PyTorch on the same files the benchmark gives them, in check-only mode. A peer that is not installed is
    /// reported and skipped; a peer whose check fails makes the exit status 1.
    /// </summary>
    private static int Verify(bool noFann)
    {
        foreach (Shape shape in Shape.All)
        {
            Workload workload = new(shape);
            workload.Verify();
            Console.WriteLine($"{shape}: the textbook and TensorPrimitives loops agree with the generated network (Forward, ForwardBatch, TrainStep, TrainBatch).");
            using (OnnxRuntimePeer ort = new(workload))
            {
                ort.Verify();
            }

            Console.WriteLine($"{shape}: ONNX Runtime's OrtValue, IOBinding and DenseTensor paths agree with the generated network (Forward, ForwardBatch).");
        }

        DirectoryInfo folder = Directory.CreateTempSubdirectory("backprop-peers-");
        try
        {
            PeerResults.WriteData(Shape.All.Select(s => s.Name), folder.FullName);
            PeerResults fann = noFann
                ? PeerResults.FannNotRequested
                : PeerResults.MeasureFann(folder.FullName, folder.FullName, null, "", checkOnly: true);
            PeerResults pytorch = PeerResults.MeasurePyTorch(folder.FullName, null, "", checkOnly: true);
            Console.WriteLine(fann.Description);
            Console.WriteLine(pytorch.Description);
            return fann.Failed || pytorch.Failed ? 1 : 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
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

    /// <summary>The table, with under it what its columns mean, the peak it is read against, the peers' sources and the command that made it.</summary>
    private static string RatioTable(Measurements measured, PeerResults fann, PeerResults pytorch, Options options)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        string forwardBatch = $"ForwardBatch{Workload.ForwardRows}";
        StringBuilder text = new();
        List<string> ortFastestIOBinding = [];
        List<string> ortFastestOrtValue = [];
        text.AppendLine(options.Smoke ? "Ratios (SMOKE RUN: too short to be read as results)" : "Ratios");
        text.AppendLine();
        text.AppendLine(
            "| Network | Operation | Generated | Textbook | TensorPrimitives | ORT fastest | ORT DenseTensor | FANN | PyTorch | FLOP floor | Memory floor " +
            "| vs textbook | vs TensorPrimitives | vs ORT fastest | vs ORT DenseTensor | vs FANN | vs PyTorch | × FLOP floor | × memory floor |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (Shape shape in Shape.All)
        {
            (string Operation, long Flops, int Rows)[] operations =
            [
                ("Forward", shape.ForwardFlops, 1),
                (forwardBatch, shape.ForwardFlops, Workload.ForwardRows), // per row
                ("TrainStep", shape.TrainStepFlops, 1),
                ($"TrainBatch{Workload.BatchRows}", shape.TrainBatchFlops(Workload.BatchRows), 1),
            ];
            foreach ((string operation, long flops, int rows) in operations)
            {
                double Mean(string implementation) => measured.Mean(shape.Name, operation, implementation) / rows;
                double generated = Mean("Generated"), textbook = Mean("Textbook"), tensor = Mean("TensorPrimitives");
                double ortValue = Mean("OrtValue"), ioBinding = Mean("IOBinding"), denseTensor = Mean("DenseTensor");
                if (new[] { generated, textbook, tensor, ortValue, ioBinding, denseTensor }.All(double.IsNaN))
                {
                    continue;
                }

                string label = rows == 1 ? operation : $"{operation} (per row)";
                double ortFastest = double.IsNaN(ioBinding) || ioBinding > ortValue ? ortValue : ioBinding;
                if (!double.IsNaN(ortValue) && !double.IsNaN(ioBinding))
                {
                    (ortFastest == ioBinding ? ortFastestIOBinding : ortFastestOrtValue).Add($"{shape} {operation}");
                }

                double fannTime = fann.Nanoseconds(shape.Name, operation) / rows;
                double torch = pytorch.Nanoseconds(shape.Name, operation) / rows;
                double floor = flops / measured.PeakGflops; // FLOP / (GFLOP/s) = ns
                double memoryFloor = measured.MemoryFloor(shape.Name, operation);
                text.AppendLine(
                    $"| {shape} | {label} | {Ns(generated)} | {Ns(textbook)} | {Ns(tensor)} | {Ns(ortFastest)} | {Ns(denseTensor)} | {Ns(fannTime)} | {Ns(torch)} " +
                    $"| {Ns(floor)} | {Ns(memoryFloor)} | {Times(textbook / generated)} | {Times(tensor / generated)} | {Times(ortFastest / generated)} " +
                    $"| {Times(denseTensor / generated)} | {Times(fannTime / generated)} | {Times(torch / generated)} | {Times(generated / floor)} | {Times(generated / memoryFloor)} |");
            }
        }

        text.AppendLine();
        text.AppendLine("- vs X: X's time / the generated code's time (above 1×, the generated code is faster). × FLOP floor, × memory floor: the generated code's time / that floor.");
        text.AppendLine($"- {forwardBatch} (per row): {Workload.ForwardRows} rows in one call, every time in its row divided by {Workload.ForwardRows}. Generated: `INetwork<float>.ForwardBatch` through the interface; Textbook and TensorPrimitives (no batch form): their Forward once per row; ORT: one Run on a [{Workload.ForwardRows}, inputs] tensor; FANN (no batch call): `fann_run` once per row; PyTorch: one call on a [{Workload.ForwardRows}, inputs] tensor.");
        text.AppendLine("- Generated, Textbook, TensorPrimitives, ORT: BenchmarkDotNet means, one thread. Every implementation runs on the generated network's weights and the same rows, and its outputs are checked against the generated network's before it is timed.");
        text.AppendLine(
            $"- ORT: ONNX Runtime {OrtVersion(measured)} (Microsoft.ML.OnnxRuntime, CPU), the model written from the generated network's parameters (Gemm + Sigmoid/Tanh/Relu, Softmax on the output), one intra-op and one inter-op thread, sequential, all graph optimisations. " +
            "ORT fastest: the faster of two preallocated paths, OrtValues over pinned arrays with `session.Run(runOptions, names, values, names, values)` and the same OrtValues in an IOBinding with `RunWithBinding`; " +
            $"Where both were measured, IOBinding was the faster on {List(ortFastestIOBinding)}, OrtValue on {List(ortFastestOrtValue)}. ORT DenseTensor: the path users write, `DenseTensor<float>` + `NamedOnnxValue.CreateFromTensor` + `session.Run(inputs)`, the output copied out and the results disposed, every call.");
        text.AppendLine(
            "- FANN runs the same layers but for what it lacks: sigmoid is FANN_SIGMOID (steepness 0.5), tanh FANN_SIGMOID_SYMMETRIC (steepness 1), both exact; ReLU is FANN_LINEAR_PIECE, clamp(s·x, 0, 1), with s = 2⁻¹⁰ and the next layer's weights × 2¹⁰ (exact for x < 1024; FANN 2.2 has no ReLU), whose training derivative is s everywhere, not ReLU's; " +
            "**FANN has no softmax: its output layer is linear (FANN_LINEAR), so Forward computes the logits (checked against ours) and TrainStep/TrainBatch minimise squared error on them**, not softmax cross-entropy. " +
            "TrainStep: `fann_train` (incremental); TrainBatch32: `fann_train_epoch` with FANN_TRAIN_BATCH (one update); error function FANN_ERRORFUNC_LINEAR, learning rate 2× ours (FANN's squared-error gradient is half of Σ(t − y)²'s), so 2-3-1 and 4-8-3 train exactly as checked against the textbook loop.");
        text.AppendLine($"- {fann.Description}");
        text.AppendLine(double.IsNaN(measured.PeakGflops)
            ? "- FLOP floor: not measured in this run (include PeakFmaBenchmarks in the filter)."
            : string.Create(c, $"- FLOP floor: FLOPs of the operation (per row for {forwardBatch}) / peak single-thread FMA throughput measured in this run, {measured.PeakGflops:F1} GFLOP/s."));
        text.AppendLine($"- Memory floor: the time to stream the network's weights as the operation must (WeightStreamBenchmarks, same run): Forward reads W once; {forwardBatch} reads it once for all its rows (so per row, a {Workload.ForwardRows}th of that); TrainStep reads it, then reads and writes it; a TrainBatch row reads it twice and reads and writes the gradient, plus one update.");
        text.AppendLine($"- {pytorch.Description}");
        text.AppendLine($"- Command: `{ReproducingCommand(options)}`");
        return text.ToString();

        static string Ns(double ns) => double.IsNaN(ns) ? "–" : ns.ToString(ns < 100 ? "F1" : "N0", CultureInfo.InvariantCulture) + " ns";

        static string Times(double ratio) => double.IsNaN(ratio) ? "–" : ratio.ToString(ratio < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + "×";

        static string List(List<string> rows) => rows.Count == 0 ? "none" : string.Join(", ", rows);
    }

    /// <summary>ONNX Runtime's version when the run measured it (loading the native library only then).</summary>
    private static string OrtVersion(Measurements measured) =>
        measured.Means.Keys.Any(k => k.Implementation is "OrtValue" or "IOBinding" or "DenseTensor")
            ? OnnxRuntimePeer.Version
            : "(not measured in this run: include OnnxRuntimeBenchmarks in the filter)";

    /// <summary>
    /// The <c>dotnet run</c> line, from the repository root, that passes this run's arguments again (after the
    /// interpreter variable when it chose the one that ran PyTorch).
    /// </summary>
    private static string ReproducingCommand(Options options)
    {
        List<string> words = [];
        if (options.RunPyTorch && Environment.GetEnvironmentVariable(PeerResults.PythonVariable) is { Length: > 0 } python)
        {
            words.Add($"{PeerResults.PythonVariable}={python}");
        }

        if (!options.NoFann && Environment.GetEnvironmentVariable(PeerResults.CompilerVariable) is { Length: > 0 } compiler)
        {
            words.Add($"{PeerResults.CompilerVariable}={compiler}");
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
    private sealed record Options(bool Smoke, bool RunPyTorch, bool NoFann, string? PyTorchResultsPath, string[] BenchmarkArguments, string[] All)
    {
        /// <exception cref="ArgumentException">--pytorch-results lacks its file, or comes with --pytorch.</exception>
        public static Options Parse(string[] args)
        {
            bool smoke = false, runPyTorch = false, noFann = false;
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
                    case "--no-fann":
                        noFann = true;
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

            return new(smoke, runPyTorch, noFann, resultsPath, [.. benchmarkArguments], args);
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
                _ when operation.StartsWith("ForwardBatch", StringComparison.Ordinal) => read / Workload.ForwardRows,
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
                .Where(r => r.BenchmarkCase.Descriptor.Type == typeof(NetworkBenchmarks)
                    || r.BenchmarkCase.Descriptor.Type == typeof(OnnxRuntimeBenchmarks)
                    || r.BenchmarkCase.Descriptor.Type == typeof(WeightStreamBenchmarks))
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
