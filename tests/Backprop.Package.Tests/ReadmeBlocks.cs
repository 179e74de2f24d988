using System.Runtime.CompilerServices;

namespace Backprop.Readme;

// Shared by tests/Backprop.Package.Tests (the programs) and tests/Backprop.Generator.Tests (the excerpts).

/// <summary>A fenced C# block of the README: where it starts and what it holds.</summary>
internal sealed record ReadmeBlock(int Index, int Line, string Code, string? ExcerptOf);

/// <summary>
/// The README's ```csharp blocks. A block right after a line <c>&lt;!-- excerpt of …: … --&gt;</c> is an excerpt of
/// generated code; every other block is a program a reader can paste.
/// </summary>
internal static class ReadmeBlocks
{
    /// <param name="file">The markdown file, from the repository's root.</param>
    public static IReadOnlyList<ReadmeBlock> All(string file = "README.md")
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), file));
        var blocks = new List<ReadmeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```csharp")
            {
                continue;
            }

            int start = i;
            var code = new List<string>();
            while (++i < lines.Length && lines[i].Trim() != "```")
            {
                code.Add(lines[i]);
            }

            string previous = start > 0 ? lines[start - 1].Trim() : "";
            string? excerptOf = previous.StartsWith("<!-- excerpt of ", StringComparison.Ordinal) ? previous["<!-- excerpt of ".Length..^"-->".Length].Trim() : null;
            blocks.Add(new ReadmeBlock(blocks.Count, start + 1, string.Join('\n', code) + "\n", excerptOf));
        }

        return blocks;
    }

    public static IEnumerable<ReadmeBlock> Programs() => All().Where(block => block.ExcerptOf is null);

    public static IEnumerable<ReadmeBlock> Excerpts() => All().Where(block => block.ExcerptOf is not null);

    public static string RepositoryRoot([CallerFilePath] string here = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
