namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>The snapshot helper is code too: a mismatch must fail, write the received file and show the diff.</summary>
public sealed class SnapshotAssertTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "backprop-snapshots-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Matching_text_passes_and_leaves_no_received_file()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Case.verified.cs"), "line 1\nline 2\n");

        SnapshotAssert.MatchesIn(_directory, "Case", "line 1\r\nline 2\r\n", accept: false);

        Assert.False(File.Exists(Path.Combine(_directory, "Case.received.cs")));
    }

    [Fact]
    public void Mismatch_fails_writes_received_file_and_shows_the_changed_lines()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Case.verified.cs"), "a\nb\nc\nd\ne\nf\ng\nh\ni\n");

        var failure = Assert.Throws<SnapshotMismatchException>(
            () => SnapshotAssert.MatchesIn(_directory, "Case", "a\nb\nc\nd\nE\nf\ng\nh\ni\n", accept: false));

        Assert.Equal("a\nb\nc\nd\nE\nf\ng\nh\ni\n", File.ReadAllText(Path.Combine(_directory, "Case.received.cs")));
        Assert.Contains("- e", failure.Message);
        Assert.Contains("+ E", failure.Message);
        Assert.DoesNotContain("  a", failure.Message);
        Assert.Contains("  b", failure.Message);
    }

    [Fact]
    public void Missing_snapshot_fails_and_writes_received_file()
    {
        var failure = Assert.Throws<SnapshotMismatchException>(() => SnapshotAssert.MatchesIn(_directory, "New", "text\n", accept: false));

        Assert.Contains("No snapshot", failure.Message);
        Assert.True(File.Exists(Path.Combine(_directory, "New.received.cs")));
        Assert.False(File.Exists(Path.Combine(_directory, "New.verified.cs")));
    }

    [Fact]
    public void Accepting_writes_the_verified_file_and_removes_the_received_one()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "Case.verified.cs"), "old\n");
        File.WriteAllText(Path.Combine(_directory, "Case.received.cs"), "stale\n");

        SnapshotAssert.MatchesIn(_directory, "Case", "new\n", accept: true);

        Assert.Equal("new\n", File.ReadAllText(Path.Combine(_directory, "Case.verified.cs")));
        Assert.False(File.Exists(Path.Combine(_directory, "Case.received.cs")));
    }
}
