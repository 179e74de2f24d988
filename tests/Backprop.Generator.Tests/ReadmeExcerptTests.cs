using Backprop.Generator.Tests.Infrastructure;
using Backprop.Readme;

namespace Backprop.Generator.Tests;

/// <summary>
/// The README's excerpts of generated code are what the generator writes today: each block marked
/// <c>&lt;!-- excerpt of FILE[: TYPE] --&gt;</c> is found, line by line and in order (a <c>...</c> line skips any), in
/// the code generated for that file's declaration. An emitter change that makes the README wrong fails here.
/// </summary>
public sealed class ReadmeExcerptTests
{
    public static TheoryData<int> Excerpts() => [.. ReadmeBlocks.Excerpts().Select(block => block.Index)];

    [Fact]
    public void The_readme_has_excerpts_to_check() => Assert.NotEmpty(Excerpts());

    [Theory]
    [MemberData(nameof(Excerpts))]
    public void A_readme_excerpt_is_what_the_generator_writes(int index)
    {
        ReadmeBlock block = ReadmeBlocks.Excerpts().Single(b => b.Index == index);
        string[] origin = block.ExcerptOf!.Split(':', 2, StringSplitOptions.TrimEntries);
        string source = File.ReadAllText(Path.Combine(ReadmeBlocks.RepositoryRoot(), origin[0]));
        GeneratorOutcome outcome = GeneratorHarness.Run(source);
        string generated = origin.Length == 1
            ? outcome.SingleSource
            : outcome.GeneratedSources.Single(s => s.HintName.EndsWith("." + origin[1] + ".g.cs", StringComparison.Ordinal)).SourceText.ToString();
        string[] lines = [.. generated.Split('\n').Select(line => line.Trim())];

        int at = 0;
        foreach (string line in block.Code.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && l != "..."))
        {
            int found = Array.IndexOf(lines, line, at);
            Assert.True(
                found >= 0,
                $"README line {block.Line} block, '{line}', is not in the code generated for {block.ExcerptOf} (after the lines before it).");
            at = found + 1;
        }
    }
}
