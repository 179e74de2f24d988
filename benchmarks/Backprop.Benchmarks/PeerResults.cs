using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Backprop.Benchmarks;

/// <summary>
/// PyTorch's times for the ratio table, from <c>benchmarks/peers/pytorch_mlp.py</c>: measured by running the
/// script once the BenchmarkDotNet run is over (<see cref="Measure"/>), or read from the JSON it wrote on an
/// earlier run (<see cref="Load"/>); or, when there are none, why.
/// </summary>
public sealed class PyTorchResults
{
    /// <summary>The interpreter run when <see cref="PythonVariable"/> is not set: Debian's, the one python3-torch installs into.</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>The environment variable that names another Python interpreter to run the script with.</summary>
    public const string PythonVariable = "BACKPROP_PYTHON";

    private const string SolutionFile = "Backprop.Generator.sln";
    private const string ScriptPath = "benchmarks/peers/pytorch_mlp.py";
    private const string InstallHint = $"install PyTorch with: apt-get install -y python3-torch (or set {PythonVariable} to an interpreter that has torch)";

    /// <summary>pytorch_mlp.py's exit status when its interpreter has no torch module (MISSING_TORCH_EXIT_CODE there).</summary>
    private const int MissingTorchExitCode = 3;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly Dictionary<(string Network, string Operation), double> _nanoseconds;

    private PyTorchResults(string description, Dictionary<(string Network, string Operation), double> nanoseconds)
    {
        Description = description;
        _nanoseconds = nanoseconds;
    }

    /// <summary>No PyTorch column: neither <c>--pytorch</c> nor <c>--pytorch-results</c> was given.</summary>
    public static PyTorchResults NotRequested { get; } = new(
        $"PyTorch: not measured (--pytorch runs {ScriptPath} after the .NET benchmarks; --pytorch-results FILE reads the JSON of an earlier run).",
        []);

    /// <summary>One line for under the table: the PyTorch version, threads and repeats the times come from, or why there are none.</summary>
    public string Description { get; }

    /// <summary>PyTorch's median time of <paramref name="operation"/> on <paramref name="network"/>, in ns; NaN when not measured.</summary>
    public double Nanoseconds(string network, string operation) => _nanoseconds.GetValueOrDefault((network, operation), double.NaN);

    /// <summary>Reads the JSON written by <c>pytorch_mlp.py --json <paramref name="path"/></c> on an earlier run.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="JsonException">The file is not that script's JSON.</exception>
    public static PyTorchResults Load(string path) => Read(path, $"read from {path}");

    /// <summary>
    /// Runs <c>pytorch_mlp.py</c> on <paramref name="networks"/> (its output goes to the console) and reads the
    /// JSON it writes to <paramref name="jsonPath"/>. A missing interpreter, torch or script is no error: the
    /// result then says why it is empty, and that line is printed at once.
    /// </summary>
    /// <param name="networks">Names as in <see cref="Shape"/>; all networks when empty.</param>
    /// <param name="repeats">The script's <c>--repeats</c> (1 for a quick check); null for its default.</param>
    /// <param name="jsonPath">Where the script writes its figures, kept beside the BenchmarkDotNet results.</param>
    public static PyTorchResults Measure(IReadOnlyCollection<string> networks, int? repeats, string jsonPath)
    {
        string python = Environment.GetEnvironmentVariable(PythonVariable) is { Length: > 0 } chosen ? chosen : DefaultPython;
        string? root = FindRepositoryRoot();
        if (root is null)
        {
            return Unavailable($"{ScriptPath} not found: no folder holding {SolutionFile} above the current directory or the program's");
        }

        ProcessStartInfo start = new(python) { UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(root, ScriptPath));
        start.ArgumentList.Add("--json");
        start.ArgumentList.Add(jsonPath);
        if (networks.Count > 0)
        {
            start.ArgumentList.Add("--networks");
            foreach (string network in networks)
            {
                start.ArgumentList.Add(network);
            }
        }

        if (repeats is int count)
        {
            start.ArgumentList.Add("--repeats");
            start.ArgumentList.Add(count.ToString(CultureInfo.InvariantCulture));
        }

        string command = Program.FormatCommand([python, .. start.ArgumentList]);
        Console.WriteLine($"Running {command}");
        int exitCode;
        try
        {
            using Process process = new() { StartInfo = start };
            process.Start();
            process.WaitForExit();
            exitCode = process.ExitCode;
        }
        catch (Win32Exception e)
        {
            return Unavailable($"{python} could not be started ({e.Message}); {InstallHint}");
        }

        if (exitCode != 0)
        {
            return Unavailable(exitCode == MissingTorchExitCode
                ? $"{python} has no torch module; {InstallHint}"
                : $"{command} failed with exit status {exitCode} (its output is above)");
        }

        try
        {
            return Read(jsonPath, $"run after BenchmarkDotNet finished, figures in {Path.GetRelativePath(Directory.GetCurrentDirectory(), jsonPath)}");
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return Unavailable($"the script's JSON could not be read: {e.Message}");
        }
    }

    private static PyTorchResults Read(string path, string source)
    {
        ResultsFile file = JsonSerializer.Deserialize<ResultsFile>(File.ReadAllText(path), JsonOptions)
            ?? throw new JsonException($"{path} holds null, not the JSON object of pytorch_mlp.py --json.");
        Dictionary<(string Network, string Operation), double> nanoseconds = [];
        foreach (ResultRow row in file.Results)
        {
            nanoseconds[(row.Network, row.Operation)] = row.Ns;
        }

        string threads = file.Threads == 1 ? "1 thread" : $"{file.Threads} threads";
        string repeats = file.Repeats switch { null => "", 1 => ", one repeat", int count => $", median of {count} repeats" };
        return new($"PyTorch {file.Torch}, {threads}{repeats} ({ScriptPath}, {source}).", nanoseconds);
    }

    private static PyTorchResults Unavailable(string reason)
    {
        Console.WriteLine($"PyTorch column left empty: {reason}.");
        return new($"PyTorch: not measured: {reason}.", []);
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

    /// <summary>The JSON of <c>pytorch_mlp.py --json</c>; <c>repeats</c> may be absent.</summary>
    private sealed record ResultsFile(string Torch, int Threads, IReadOnlyList<ResultRow> Results, int? Repeats = null);

    private sealed record ResultRow(string Network, string Operation, double Ns);
}
