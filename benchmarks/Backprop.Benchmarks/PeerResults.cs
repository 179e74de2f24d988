using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Backprop.Benchmarks;

/// <summary>
/// An out-of-process peer's times for the ratio table: PyTorch (<c>benchmarks/peers/pytorch_mlp.py</c>) or FANN
/// (<c>benchmarks/peers/fann_mlp.c</c>, compiled here). Each runs once the BenchmarkDotNet run is over, so that
/// it never shares the CPU with it, on the files <see cref="PeerData"/> wrote (the generated network's weights
/// and the benchmark's rows), checks its outputs against the generated network's and writes JSON
/// (<c>{"results": [{"network", "operation", "ns"}]}</c>, ns per call); or the JSON of an earlier run is read. When
/// there are no figures, the result says why.
/// </summary>
public sealed class PeerResults
{
    /// <summary>The interpreter run when <see cref="PythonVariable"/> is not set: Debian's, the one python3-torch installs into.</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>The environment variable that names another Python interpreter to run the script with.</summary>
    public const string PythonVariable = "BACKPROP_PYTHON";

    /// <summary>The C compiler for the FANN harness, unless <see cref="CompilerVariable"/> names another.</summary>
    public const string DefaultCompiler = "gcc";

    public const string CompilerVariable = "CC";

    /// <summary>The flags the FANN harness is compiled with (the time is in Debian's prebuilt libfloatfann, not in the harness).</summary>
    public static readonly string[] CompilerFlags = ["-O2", "-std=c11", "-Wall", "-Wextra"];

    private const string SolutionFile = "Backprop.Generator.sln";
    private const string PyTorchScript = "benchmarks/peers/pytorch_mlp.py";
    private const string FannSource = "benchmarks/peers/fann_mlp.c";
    private const string FannHeader = "/usr/include/floatfann.h";
    private const string PyTorchInstallHint = $"install PyTorch with: apt-get install -y python3-torch (or set {PythonVariable} to an interpreter that has torch)";
    private const string FannInstallHint = "install FANN with: apt-get install -y libfann-dev gcc";

    /// <summary>pytorch_mlp.py's exit status when its interpreter has no torch module (MISSING_TORCH_EXIT_CODE there).</summary>
    private const int MissingTorchExitCode = 3;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly Dictionary<(string Network, string Operation), double> _nanoseconds;

    private PeerResults(string description, Dictionary<(string Network, string Operation), double> nanoseconds, bool failed = false)
    {
        Description = description;
        _nanoseconds = nanoseconds;
        Failed = failed;
    }

    /// <summary>The peer ran and failed (a check, the compilation, the script), as opposed to being unavailable or not requested.</summary>
    public bool Failed { get; }

    /// <summary>No PyTorch column: neither <c>--pytorch</c> nor <c>--pytorch-results</c> was given.</summary>
    public static PeerResults PyTorchNotRequested { get; } = new(
        $"PyTorch: not requested (--pytorch runs {PyTorchScript} after the .NET benchmarks; --pytorch-results FILE reads the JSON of an earlier run).",
        []);

    /// <summary>No FANN column: <c>--no-fann</c> was given.</summary>
    public static PeerResults FannNotRequested { get; } = new(
        $"FANN: not requested (--no-fann; without it {FannSource} is compiled and run after the .NET benchmarks when libfann-dev is installed).",
        []);

    /// <summary>One line for under the table: where the times come from, or why there are none.</summary>
    public string Description { get; }

    /// <summary>The peer's median time of <paramref name="operation"/> on <paramref name="network"/>, in ns per call; NaN when not measured.</summary>
    public double Nanoseconds(string network, string operation) => _nanoseconds.GetValueOrDefault((network, operation), double.NaN);

    /// <summary>Reads the JSON written by <c>pytorch_mlp.py --json <paramref name="path"/></c> on an earlier run.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="JsonException">The file is not that script's JSON.</exception>
    public static PeerResults LoadPyTorch(string path) => Read(path, $"read from {path}");

    /// <summary>
    /// Runs <c>pytorch_mlp.py</c> on the peer files in <paramref name="dataFolder"/> (its output goes to the
    /// console) and reads the JSON it writes to <paramref name="jsonPath"/>; with <paramref name="checkOnly"/>,
    /// only its checks. A missing interpreter, torch or script is no error: the result then says why it is empty,
    /// and that line is printed at once.
    /// </summary>
    /// <param name="repeats">The script's <c>--repeats</c> (1 for a quick check); null for its default.</param>
    public static PeerResults MeasurePyTorch(string dataFolder, int? repeats, string jsonPath, bool checkOnly = false)
    {
        string python = Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } chosen ? chosen : DefaultPython;
        if (FindRepositoryRoot() is not string root)
        {
            return Unavailable("PyTorch", $"{PyTorchScript} not found: no folder holding {SolutionFile} above the current directory or the program's");
        }

        List<string> arguments = [Path.Combine(root, PyTorchScript), "--data", dataFolder, .. Options(jsonPath, repeats, checkOnly)];
        int? exitCode = Run(python, arguments, out string command);
        if (exitCode is null)
        {
            return Unavailable("PyTorch", $"{python} could not be started; {PyTorchInstallHint}");
        }

        if (exitCode != 0)
        {
            return exitCode == MissingTorchExitCode
                ? Unavailable("PyTorch", $"{python} has no torch module; {PyTorchInstallHint}")
                : FailedRun("PyTorch", command, exitCode.Value);
        }

        return checkOnly ? new("PyTorch: checked.", []) : ReadRun("PyTorch", jsonPath);
    }

    /// <summary>
    /// Compiles <c>fann_mlp.c</c> into <paramref name="buildFolder"/> against Debian's libfloatfann, runs it on the
    /// peer files in <paramref name="dataFolder"/> and reads the JSON it writes to <paramref name="jsonPath"/>; with
    /// <paramref name="checkOnly"/>, only its checks. Without libfann-dev or a compiler the result says so.
    /// </summary>
    public static PeerResults MeasureFann(string dataFolder, string buildFolder, int? repeats, string jsonPath, bool checkOnly = false)
    {
        if (!File.Exists(FannHeader))
        {
            return Unavailable("FANN", $"{FannHeader} not found; {FannInstallHint}");
        }

        if (FindRepositoryRoot() is not string root)
        {
            return Unavailable("FANN", $"{FannSource} not found: no folder holding {SolutionFile} above the current directory or the program's");
        }

        string compiler = Environment.GetEnvironmentVariable(CompilerVariable) is { Length: > 0 } cc ? cc : DefaultCompiler;
        string harness = Path.Combine(buildFolder, "fann_mlp");
        int? built = Run(compiler, [.. CompilerFlags, "-o", harness, Path.Combine(root, FannSource), "-lfloatfann", "-lm"], out string compile);
        if (built is null)
        {
            return Unavailable("FANN", $"{compiler} could not be started; {FannInstallHint}");
        }

        if (built != 0)
        {
            return FailedRun("FANN", compile, built.Value);
        }

        List<string> arguments = [.. Options(jsonPath, repeats, checkOnly), .. Directory.GetFiles(dataFolder, "*.bin").Order(StringComparer.Ordinal)];
        int? exitCode = Run(harness, arguments, out string command);
        if (exitCode != 0)
        {
            return FailedRun("FANN", command, exitCode ?? -1);
        }

        if (checkOnly)
        {
            return new("FANN: checked.", []);
        }

        PeerResults results = ReadRun("FANN", jsonPath);
        return results._nanoseconds.Count == 0
            ? results
            : new($"FANN {FannVersion()} (Debian's libfloatfann; {FannSource} compiled with `{Program.FormatCommand([compiler, .. CompilerFlags])} … -lfloatfann -lm`), 1 thread, {results.Description}", results._nanoseconds);
    }

    /// <summary>The files every out-of-process peer reads: one per network, in <paramref name="folder"/>.</summary>
    public static void WriteData(IEnumerable<string> networks, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (string network in networks)
        {
            Workload workload = new(Shape.Get(network));
            workload.Verify();
            PeerData.Write(workload, Path.Combine(folder, $"{network}.bin"));
        }
    }

    private static IEnumerable<string> Options(string jsonPath, int? repeats, bool checkOnly)
    {
        if (checkOnly)
        {
            yield return "--check-only";
            yield break;
        }

        yield return "--json";
        yield return jsonPath;
        if (repeats is int count)
        {
            yield return "--repeats";
            yield return count.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Runs a program with its output on the console; its exit status, or null when it cannot be started.</summary>
    private static int? Run(string program, IEnumerable<string> arguments, out string command)
    {
        ProcessStartInfo start = new(program) { UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        command = Program.FormatCommand([program, .. start.ArgumentList]);
        Console.WriteLine($"Running {command}");
        try
        {
            using Process process = new() { StartInfo = start };
            process.Start();
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (Win32Exception)
        {
            return null;
        }
    }

    private static PeerResults ReadRun(string peer, string jsonPath)
    {
        try
        {
            return Read(jsonPath, $"run after BenchmarkDotNet finished, figures in {Path.GetRelativePath(Directory.GetCurrentDirectory(), jsonPath)}");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return Unavailable(peer, $"the JSON could not be read: {e.Message}");
        }
    }

    private static PeerResults Read(string path, string source)
    {
        ResultsFile file = JsonSerializer.Deserialize<ResultsFile>(File.ReadAllText(path), JsonOptions)
            ?? throw new JsonException($"{path} holds null, not a peer's JSON object.");
        Dictionary<(string Network, string Operation), double> nanoseconds = [];
        foreach (ResultRow row in file.Results)
        {
            nanoseconds[(row.Network, row.Operation)] = row.Ns;
        }

        string repeats = file.Repeats switch { null => "", 1 => "one repeat", int count => $"median of {count} repeats" };
        if (file.Torch is null)
        {
            return new($"{repeats} ({source}).", nanoseconds);
        }

        string threads = file.Threads == 1 ? "1 thread" : $"{file.Threads} threads";
        return new($"PyTorch {file.Torch}, {threads}, {repeats} ({PyTorchScript}, {source}).", nanoseconds);
    }

    private static PeerResults Unavailable(string peer, string reason, bool failed = false)
    {
        Console.WriteLine($"{peer} column left empty: {reason}.");
        return new($"{peer}: not measured: {reason}.", [], failed);
    }

    private static PeerResults FailedRun(string peer, string command, int exitCode) =>
        Unavailable(peer, $"{command} failed with exit status {exitCode} (its output is above)", failed: true);

    private static string FannVersion()
    {
        ProcessStartInfo start = new("dpkg-query", ["-W", "-f=${Version}", "libfann-dev"]) { UseShellExecute = false, RedirectStandardOutput = true };
        try
        {
            using Process process = Process.Start(start)!;
            string version = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && version.Length > 0 ? version : "2.2";
        }
        catch (Win32Exception)
        {
            return "2.2";
        }
    }

    /// <summary>The first folder holding the solution, above the current directory or else above the program's.</summary>
    private static string? FindRepositoryRoot() =>
        new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
            .SelectMany(SelfAndAncestors)
            .FirstOrDefault(folder => File.Exists(Path.Combine(folder, SolutionFile)));

    private static IEnumerable<string> SelfAndAncestors(string folder)
    {
        for (DirectoryInfo? current = new(folder); current is not null; current = current.Parent)
        {
            yield return current.FullName;
        }
    }

    /// <summary>A peer's JSON: <c>torch</c> (PyTorch's version) or <c>fann</c>; <c>repeats</c> may be absent.</summary>
    private sealed record ResultsFile(IReadOnlyList<ResultRow> Results, string? Torch = null, string? Fann = null, int Threads = 1, int? Repeats = null);

    private sealed record ResultRow(string Network, string Operation, double Ns);
}
