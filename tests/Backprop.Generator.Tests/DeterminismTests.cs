using Backprop.Generator.Tests.Infrastructure;

namespace Backprop.Generator.Tests;

/// <summary>The same input must give byte-identical output: builds are reproducible and IDEs never churn.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [MemberData(nameof(SnapshotCases.All), MemberType = typeof(SnapshotCases))]
    public void Generating_twice_from_fresh_compilations_gives_identical_bytes(string name, string source)
    {
        GeneratorOutcome first = GeneratorHarness.Run(source);
        GeneratorOutcome second = GeneratorHarness.Run(source);

        Assert.Equal(first.GeneratedSources.Length, second.GeneratedSources.Length);
        for (int i = 0; i < first.GeneratedSources.Length; i++)
        {
            Assert.Equal(first.GeneratedSources[i].HintName, second.GeneratedSources[i].HintName);
            Assert.True(
                first.GeneratedSources[i].SourceText.ContentEquals(second.GeneratedSources[i].SourceText),
                $"{name}: {first.GeneratedSources[i].HintName} differs between two runs");
        }
    }

    [Fact]
    public void Several_networks_in_one_compilation_each_get_their_own_file_in_a_stable_order()
    {
        string[] sources =
        [
            "using Backprop; namespace A; [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Net;",
            "using Backprop; namespace B; [Network(Loss.SumSquaredError)] [Input(2)] [Dense(1, Activation.Sigmoid)] public partial class Net;",
        ];

        string[] first = [.. GeneratorHarness.Run(sources).AssertCompilesCleanly().GeneratedSources.Select(s => s.HintName + s.SourceText)];
        string[] second = [.. GeneratorHarness.Run(sources).GeneratedSources.Select(s => s.HintName + s.SourceText)];

        Assert.Equal(["A.Net.g.cs", "B.Net.g.cs"], GeneratorHarness.Run(sources).GeneratedSources.Select(s => s.HintName));
        Assert.Equal(first, second);
    }
}
