using Backprop.Generator.Tests.Infrastructure;

namespace Backprop.Generator.Tests;

/// <summary>
/// The generated source of representative declarations, compared with the reviewed snapshots in
/// Snapshots/. Each case must also compile without a single error or warning.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [MemberData(nameof(SnapshotCases.All), MemberType = typeof(SnapshotCases))]
    public void Generated_source_matches_snapshot_and_compiles(string name, string source)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(source).AssertCompilesCleanly();

        SnapshotAssert.Matches(outcome.SingleSource, name);
    }
}
