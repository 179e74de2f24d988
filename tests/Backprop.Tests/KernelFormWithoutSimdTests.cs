using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// On this machine the networks with a register form (Networks/RegisterNetworks.cs) run it, so the other tests
/// check the register form. Their Forward and TrainStep keep the kernel form for hardware without the vector
/// width; this test runs the forward, training and float-precision tests again in a child process with
/// <c>DOTNET_EnableHWIntrinsic=0</c>, where no vector width is accelerated and every network takes the kernel
/// form, one element wide; and again with <c>DOTNET_EnableAVX512F=0</c>, where the 512-bit register forms run as
/// pairs of 256-bit vectors. The assembly is run directly, so xunit's own runner takes <c>-class</c> filters.
/// </summary>
public partial class KernelFormWithoutSimdTests
{
    private static readonly string[] TestClasses = [typeof(ForwardTests).FullName!, typeof(TrainingTests).FullName!, typeof(FloatPrecisionTests).FullName!];

    [Fact]
    public void Without_SIMD_every_network_passes_the_forward_and_training_tests_in_the_kernel_form()
        => AssertEveryNetworkPasses(RunTestsWith("DOTNET_EnableHWIntrinsic"));

    /// <summary>
    /// With AVX-512 switched off, a network whose register form is 512 bits wide runs it as pairs of 256-bit vectors
    /// (<c>ForwardInRegisterPairs</c>; TrainStep takes the kernel form there). On a machine without AVX-512 the other tests
    /// already run the pairs; on one with it, only this child does.
    /// </summary>
    [Fact]
    public void Without_AVX512_every_network_passes_the_forward_and_training_tests_with_512_bit_vectors_as_pairs()
        => AssertEveryNetworkPasses(RunTestsWith("DOTNET_EnableAVX512F"));

    private static void AssertEveryNetworkPasses(string stdout)
    {
        // Not vacuous: every registered network ran (each class has at least one theory over all of them).
        Match summary = Summary().Match(stdout);
        Assert.True(summary.Success, $"No test summary in the child's output:\n{stdout}");
        int expected = TestClasses.Length * NetworkRegistry.FloatNetworks.Count;
        int total = int.Parse(summary.Groups["total"].Value, CultureInfo.InvariantCulture);
        Assert.True(total >= expected, $"Only {total} tests ran in the child, expected at least {expected}:\n{stdout}");
        Assert.Equal("0", summary.Groups["failed"].Value);
    }

    /// <summary>This test assembly again, only <see cref="TestClasses"/>, with the runtime setting <paramref name="switchedOff"/> 0; its output.</summary>
    private static string RunTestsWith(string switchedOff)
    {
        ProcessStartInfo start = new(JitMinOptsTests.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(KernelFormWithoutSimdTests).Assembly.Location);
        foreach (string testClass in TestClasses)
        {
            start.ArgumentList.Add("-class");
            start.ArgumentList.Add(testClass);
        }

        start.Environment[switchedOff] = "0";
        start.Environment["NO_COLOR"] = "1";

        using Process child = Process.Start(start)!;
        Task<string> stderr = child.StandardError.ReadToEndAsync();
        string stdout = child.StandardOutput.ReadToEnd();
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(5)), "The child test run did not finish in five minutes.");
        Assert.True(child.ExitCode == 0, $"The tests failed with {switchedOff}=0 (exit code {child.ExitCode}):\n{stdout}\n{stderr.Result}");
        return stdout;
    }

    // "Backprop.Tests  Total: 584, Errors: 0, Failed: 0, Skipped: 0, Not Run: 0, Time: 2.144s" (xunit's own runner:
    // the assembly run directly, not through dotnet test)
    [GeneratedRegex(@"Total: (?<total>\d+), Errors: \d+, Failed: (?<failed>\d+)")]
    private static partial Regex Summary();
}
