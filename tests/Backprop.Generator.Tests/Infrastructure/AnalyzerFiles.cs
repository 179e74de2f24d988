using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Backprop.Generator.Weights;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// Additional files with item metadata, as a build hands them to the compiler: each weights file as the build targets
/// (src/Backprop/build/Backprop.Generator.targets) leave it, base64 text standing for the binary file, with
/// <c>build_metadata.AdditionalFiles.BackpropWeightsSource</c> and <c>…FullPath</c> naming the original.
/// </summary>
internal sealed class AnalyzerFiles
{
    private readonly Dictionary<string, ImmutableDictionary<string, string>> _metadata = new(StringComparer.Ordinal);

    public ImmutableArray<AdditionalText> Texts { get; private set; } = [];

    /// <summary>Options per additional file, looked up by path, so that a replaced text keeps its metadata.</summary>
    public AnalyzerConfigOptionsProvider OptionsProvider => new Provider(_metadata);

    public AnalyzerOptions AnalyzerOptions => new(Texts, OptionsProvider);

    /// <summary>Adds <paramref name="bytes"/> as the build targets encode the file listed as <paramref name="source"/>.</summary>
    public AnalyzerFiles AddWeights(string source, byte[] bytes, string? fullPath = null)
        => AddWeightsText(source, Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks) + "\n", fullPath);

    /// <summary>Adds <paramref name="text"/> as the text of the weights file listed as <paramref name="source"/>.</summary>
    public AnalyzerFiles AddWeightsText(string source, string text, string? fullPath = null)
    {
        fullPath ??= "/project/" + source.Replace('\\', '/');
        AdditionalText additional = new InMemoryText(EncodedPath(fullPath), text);
        _metadata[additional.Path] = ImmutableDictionary<string, string>.Empty
            .Add("build_metadata.AdditionalFiles." + WeightsFile.SourceMetadata, source)
            .Add("build_metadata.AdditionalFiles." + WeightsFile.FullPathMetadata, fullPath);
        Texts = Texts.Add(additional);
        return this;
    }

    /// <summary>Adds a plain additional file without metadata (a text file, or a binary the targets did not encode).</summary>
    public AnalyzerFiles AddText(string path, string text)
    {
        Texts = Texts.Add(new InMemoryText(path, text));
        return this;
    }

    /// <summary>The text the build targets write for a file: base64 with line breaks (76 characters).</summary>
    public static AdditionalText Encoded(string fullPath, byte[] bytes)
        => new InMemoryText(EncodedPath(fullPath), Convert.ToBase64String(bytes, Base64FormattingOptions.InsertLineBreaks) + "\n");

    /// <summary>Where the text of <paramref name="fullPath"/> goes: a folder per original, as the targets make one.</summary>
    public static string EncodedPath(string fullPath) => $"/project/obj/backprop-weights/{fullPath.Trim('/').Replace('/', '_')}/{Path.GetFileName(fullPath)}.base64";

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text, Encoding.UTF8);
    }

    private sealed class Provider(Dictionary<string, ImmutableDictionary<string, string>> metadata) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile)
            => new Options(metadata.TryGetValue(textFile.Path, out ImmutableDictionary<string, string>? values) ? values : ImmutableDictionary<string, string>.Empty);
    }

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
