using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// Snapshot testing in Verify's file convention: the accepted text is <c>{name}.verified.cs</c> beside
/// the test; a mismatch writes <c>{name}.received.cs</c> and fails with a line diff. Set
/// <c>BACKPROP_ACCEPT_SNAPSHOTS=1</c> to accept every received text as verified instead.
/// </summary>
internal static class SnapshotAssert
{
    public const string AcceptVariable = "BACKPROP_ACCEPT_SNAPSHOTS";

    private const int DiffContextLines = 3;

    /// <summary>Compares <paramref name="actual"/> with the snapshot <paramref name="name"/> in the Snapshots folder beside the calling test file.</summary>
    public static void Matches(string actual, string name, [CallerFilePath] string callerFile = "")
        => MatchesIn(Path.Combine(Path.GetDirectoryName(callerFile)!, "Snapshots"), name, actual, Environment.GetEnvironmentVariable(AcceptVariable) == "1");

    /// <summary>The comparison itself, with the folder and the accept switch explicit so it can be tested.</summary>
    public static void MatchesIn(string directory, string name, string actual, bool accept)
    {
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        actual = Normalize(actual);
        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(directory);
        if (accept)
        {
            File.WriteAllText(verifiedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        string message = verified is null
            ? $"No snapshot {verifiedPath} yet. Read {receivedPath}; if it is right, rename it to .verified.cs (or rerun with {AcceptVariable}=1)."
            : $"The output differs from {verifiedPath} (received text written to {receivedPath}; accept with {AcceptVariable}=1 only if the diff is meant):\n{Diff(verified, actual)}";
        throw new SnapshotMismatchException(message);
    }

    /// <summary>A unified-style diff with a few lines of context around each change.</summary>
    public static string Diff(string verified, string received)
    {
        List<DiffPiece> lines = InlineDiffBuilder.Diff(verified, received, ignoreWhiteSpace: false).Lines;
        var shown = new bool[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            if (lines[i].Type != ChangeType.Unchanged)
            {
                for (int j = Math.Max(0, i - DiffContextLines); j <= Math.Min(lines.Count - 1, i + DiffContextLines); j++)
                {
                    shown[j] = true;
                }
            }
        }

        var builder = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            if (!shown[i])
            {
                if (i > 0 && shown[i - 1])
                {
                    builder.AppendLine("  ...");
                }

                continue;
            }

            string prefix = lines[i].Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => "  ",
            };
            builder.Append(prefix).AppendLine(lines[i].Text);
        }

        return builder.ToString();
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").TrimStart('\uFEFF');
}

/// <summary>A snapshot did not match.</summary>
public sealed class SnapshotMismatchException(string message) : Exception(message);
