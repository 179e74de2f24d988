using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Backprop.Tests;

/// <summary>
/// No generated method is compiled by the JIT without optimisation (MinOpts) because of its size.
/// </summary>
/// <remarks>
/// <para>
/// The JIT gives up optimising a method past 60,000 bytes of IL, 20,000 IL instructions, 2,000 basic blocks,
/// 2,000 locals or 8,000 local load/stores (docs/architecture.md, "Plan"); the planner budgets for
/// that, and this test checks the budget against the real JIT. It runs Backprop.JitCheck (networks from
/// 2-3-1 to 784-256-128-10, in float and double, every generated method called) in a child process with
/// <c>DOTNET_TieredCompilation=0</c>, so that each method is compiled once and straight to full
/// optimisation: with tiering on, Tier0 is unoptimised by design and would say nothing; with it off, a
/// "MinOpts" in the summary can only be the size fallback ("switched MinOpts"). <c>DOTNET_JitDisasmSummary=1</c>
/// with <c>DOTNET_JitStdOutFile</c> makes the JIT write one line per compiled method, for example
/// <c>  26: JIT compiled Ns.Net:Forward(System.ReadOnlySpan`1[float],System.Span`1[float]) [FullOpts, IL size=10275, code size=10306]</c>.
/// </para>
/// <para>
/// Not vacuous: every network's Forward, ComputeLoss, Backward, TrainStep, TrainBatch, AccumulateGradient, ForwardBatch,
/// BackwardBatch and AccumulateBatchGradient must be in the summary, and so must the child's canary, a dynamic method
/// past the 20,000-instruction threshold, marked MinOpts (so the test would notice if the JIT stopped saying so in these words).
/// Backprop.JitCheck is always compiled with optimisation, Debug included; the runtime helpers the generated
/// code calls (Backprop.CompilerServices) are checked too when this build of Backprop is optimised (Release).
/// </para>
/// </remarks>
public partial class JitMinOptsTests
{
    private static readonly string[] RequiredMethods =
        ["Forward", "ComputeLoss", "Backward", "TrainStep", "TrainBatch", "AccumulateGradient", "ForwardBatch", "BackwardBatch", "AccumulateBatchGradient"];

    [Fact]
    public void No_generated_method_is_compiled_with_MinOpts()
    {
        (string[] networks, Compiled[] compiled) = RunJitCheck();

        Assert.True(networks.Length >= 10, $"The child reported {networks.Length} networks.");
        Assert.Contains("Backprop.JitCheck.Networks.Net2x3x1", networks);
        Assert.Contains("Backprop.JitCheck.Networks.Net784x256x128x10", networks);

        Compiled[] canary = compiled.Where(c => c.Type == "(dynamicClass)" && c.Method == "MinOptsCanary").ToArray();
        Assert.True(canary.Length == 1 && canary[0].IsMinOpts, $"The canary past the JIT's IL limit is not reported as MinOpts: {string.Join(" | ", canary.Select(c => c.Line))}");

        HashSet<string> networkTypes = [.. networks];
        bool libraryOptimised = typeof(INetwork<>).Assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };
        Compiled[] generated = compiled.Where(c => networkTypes.Contains(OuterType(c.Type))).ToArray();
        Compiled[] helpers = libraryOptimised ? compiled.Where(c => c.Type.StartsWith("Backprop.CompilerServices.", StringComparison.Ordinal)).ToArray() : [];

        string[] missing =
        [
            .. from network in networks
               from method in RequiredMethods
               where !generated.Any(c => c.Type == network && c.Method == method)
               select $"{network}:{method}",
        ];
        Assert.True(missing.Length == 0, "Not in the JIT summary (never compiled?):\n" + string.Join("\n", missing));

        string[] minOpts = [.. generated.Concat(helpers).Where(c => c.IsMinOpts).Select(c => c.Line.Trim())];
        Assert.True(minOpts.Length == 0, "Compiled with MinOpts:\n" + string.Join("\n", minOpts));
    }

    /// <summary>One line of the JIT's summary: <c>N: JIT compiled Type:Method(signature) [tier and flags, IL size=…, code size=…]</c>.</summary>
    private sealed record Compiled(string Type, string Method, string Info, string Line)
    {
        public bool IsMinOpts => Info.Contains("MinOpts", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The outermost type of a nested one (<c>Outer+Inner</c>), so code the compiler nests in a network class counts as that network's.</summary>
    private static string OuterType(string type) => type.Split('+')[0];

    [GeneratedRegex(@"^\s*\d+:\s+JIT compiled\s+(?<type>[^:]+):(?<method>[^(]+)\((?<signature>.*)\)\s+\[(?<info>.*)\]\s*$")]
    private static partial Regex SummaryLine();

    private static (string[] Networks, Compiled[] Compiled) RunJitCheck()
    {
        string childPath = typeof(JitMinOptsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "JitCheckPath").Value!;
        Assert.True(File.Exists(childPath), $"Backprop.JitCheck is not built at {childPath}.");

        string summaryPath = Path.Combine(Path.GetTempPath(), $"backprop-jit-summary-{Guid.NewGuid():N}.txt");
        try
        {
            ProcessStartInfo start = new(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(childPath);
            foreach (string key in start.Environment.Keys.ToArray())
            {
                // Nothing inherited may change how the child's methods are compiled.
                if (key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase))
                {
                    if (key.Contains("Jit", StringComparison.OrdinalIgnoreCase) || key.Contains("Tiered", StringComparison.OrdinalIgnoreCase)
                        || key.Contains("_TC_", StringComparison.OrdinalIgnoreCase) || key.Contains("ReadyToRun", StringComparison.OrdinalIgnoreCase))
                    {
                        start.Environment.Remove(key);
                    }
                }
            }

            start.Environment["DOTNET_TieredCompilation"] = "0";
            start.Environment["DOTNET_JitDisasmSummary"] = "1";
            start.Environment["DOTNET_JitStdOutFile"] = summaryPath;

            using Process child = Process.Start(start)!;
            Task<string> stderr = child.StandardError.ReadToEndAsync();
            string stdout = child.StandardOutput.ReadToEnd();
            Assert.True(child.WaitForExit(TimeSpan.FromMinutes(5)), "Backprop.JitCheck did not finish in five minutes.");
            Assert.True(child.ExitCode == 0, $"Backprop.JitCheck exited with {child.ExitCode}:\n{stdout}\n{stderr.Result}");
            Assert.True(File.Exists(summaryPath), $"The JIT wrote no summary to {summaryPath}.");

            string[] networks = [.. stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("network: ", StringComparison.Ordinal)).Select(l => l["network: ".Length..])];
            Compiled[] compiled =
            [
                .. from line in File.ReadAllLines(summaryPath)
                   let match = SummaryLine().Match(line)
                   where match.Success
                   select new Compiled(match.Groups["type"].Value, match.Groups["method"].Value, match.Groups["info"].Value, line),
            ];
            Assert.True(compiled.Length > 0, "No line of the JIT summary was understood:\n" + string.Join("\n", File.ReadLines(summaryPath).Take(5)));
            return (networks, compiled);
        }
        finally
        {
            File.Delete(summaryPath);
        }
    }

    /// <summary>The dotnet host that runs this test (the SDK sets DOTNET_HOST_PATH for its children), else the one on the PATH.</summary>
    internal static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        string? process = Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }
}
