using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Backprop.Tests.Registry;

/// <summary>One row of the layer table in a generated file's header.</summary>
public sealed record GeneratedLayerRow(int Number, int Size, string Activation, int WeightOffset, int WeightCount, int BiasOffset, int BiasCount, string EmittedAs)
{
    public bool IsVectorized => EmittedAs.StartsWith("vectorised", StringComparison.Ordinal);
}

/// <summary>
/// The layer table at the top of a generated file, which states how the planner emitted each layer. The
/// project sets EmitCompilerGeneratedFiles, and the build records the output folder in the assembly.
/// </summary>
public static partial class GeneratedFileHeader
{
    public static string PathOf(Type network)
    {
        string folder = typeof(GeneratedFileHeader).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CompilerGeneratedFilesOutputPath").Value!;
        string hintName = network.FullName!.Replace('+', '.') + ".g.cs";
        return Path.Combine(folder, "Backprop.Generator", "Backprop.Generator.NetworkGenerator", hintName);
    }

    public static IReadOnlyList<GeneratedLayerRow> ReadLayers(Type network)
    {
        string path = PathOf(network);
        Assert.True(File.Exists(path), $"The generated file of {network} is not at {path}.");
        var rows = new List<GeneratedLayerRow>();
        foreach (string line in File.ReadLines(path).TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal)))
        {
            Match match = LayerRow().Match(line);
            if (match.Success)
            {
                rows.Add(new GeneratedLayerRow(
                    Number(match, "number"),
                    Number(match, "size"),
                    match.Groups["activation"].Value,
                    Number(match, "weightOffset"),
                    Number(match, "weightCount"),
                    Number(match, "biasOffset"),
                    Number(match, "biasCount"),
                    match.Groups["emittedAs"].Value));
            }
        }

        return rows;
    }

    /// <summary>The widest vector the header says Forward and TrainStep run in registers with, or 0 when it says nothing.</summary>
    public static int ReadRegisterWidthBits(Type network)
    {
        string path = PathOf(network);
        Assert.True(File.Exists(path), $"The generated file of {network} is not at {path}.");
        return File.ReadLines(path)
            .TakeWhile(l => l.StartsWith("//", StringComparison.Ordinal))
            .Select(l => RegisterLine().Match(l))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups["bits"].Value, CultureInfo.InvariantCulture))
            .SingleOrDefault();
    }

    private static int Number(Match match, string group) => int.Parse(match.Groups[group].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    // "// 1        24  ReLU        0, 1,152           1,152, 24         vectorised: SIMD kernels over whole rows"
    [GeneratedRegex(@"^//\s+(?<number>\d+)\s+(?<size>[\d,]+)\s+(?<activation>\w+)\s+(?<weightOffset>[\d,]+), (?<weightCount>[\d,]+)\s+(?<biasOffset>[\d,]+), (?<biasCount>[\d,]+)\s+(?<emittedAs>\S.*)$")]
    private static partial Regex LayerRow();

    // "// Forward and TrainStep run in registers when 512-bit vectors are accelerated: every layer's input fills"
    [GeneratedRegex(@"^// Forward and TrainStep run in registers when (?<bits>\d+)-bit vectors are accelerated")]
    private static partial Regex RegisterLine();
}
