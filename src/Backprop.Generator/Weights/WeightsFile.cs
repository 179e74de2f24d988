using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;
using Backprop.Interop.Formats;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Backprop.Generator.Weights;

/// <summary>
/// A weights file as the build targets hand it to the compiler: an AdditionalFiles item of base64 text standing in for
/// the binary file, whose metadata names the original.
/// </summary>
/// <param name="Source">The original's path as the project lists it (<c>Fixtures/iris.onnx</c>).</param>
/// <param name="FullPath">The original's full path.</param>
/// <param name="Base64">The original's bytes, in base64 (line breaks allowed).</param>
internal sealed record WeightsFileText(string Source, string FullPath, string Base64);

/// <summary>The parameters a network starts with, read from its weights file and checked against its declaration.</summary>
/// <param name="Format">The file's format, for the generated header: ONNX, safetensors or Backprop model file.</param>
/// <param name="Values">Every parameter in the order of <c>Parameters</c>, in the declaration's precision (as double: exact for float).</param>
internal sealed record CompiledWeights(string Format, EquatableArray<double> Values);

/// <summary>What is wrong with a declaration's weights: a BP0020–BP0026 descriptor and its message's arguments after the network's name.</summary>
internal sealed record WeightsProblem(DiagnosticDescriptor Descriptor, EquatableArray<string> Arguments)
{
    public Diagnostic ToDiagnostic(Location location, string network)
        => Diagnostic.Create(Descriptor, location, [network, .. Arguments]);

    /// <summary>"BP0025: …", as a stub's members throw it.</summary>
    public string Describe(string network)
        => $"{Descriptor.Id}: {string.Format(CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(CultureInfo.InvariantCulture), [network, .. Arguments])}";
}

/// <summary>What the declaration's weights came to: the weights, or the problem that keeps them out.</summary>
internal sealed record WeightsOutcome(CompiledWeights? Weights, WeightsProblem? Problem);

/// <summary>
/// The network a weights file must fit: its precision, input size, layers and Architecture text. Made from the spec (the
/// analyzer) or the plan (the generator), which agree.
/// </summary>
internal sealed class WeightsTarget
{
    private WeightsTarget(string weights, Precision precision, int inputCount, IReadOnlyList<(int Size, Activation Activation)> layers, string architecture)
    {
        Weights = weights;
        Precision = precision;
        InputCount = inputCount;
        Layers = layers;
        Architecture = architecture;
    }

    /// <summary>The declaration's <c>Weights = "…"</c>.</summary>
    public string Weights { get; }

    public Precision Precision { get; }

    public int InputCount { get; }

    public IReadOnlyList<(int Size, Activation Activation)> Layers { get; }

    public string Architecture { get; }

    public static WeightsTarget Of(NetworkSpec spec, string weights)
        => new(weights, spec.Precision, spec.InputSize, [.. spec.Layers.Select(l => (l.Size, l.Activation))], spec.Architecture);

    public static WeightsTarget Of(NetworkPlan plan, string weights)
    {
        (int Size, Activation Activation)[] layers = [.. plan.Layers.Select(l => (l.Size, l.Activation))];
        return new(weights, plan.Precision, plan.InputCount, layers, NetworkSpec.DescribeArchitecture(plan.InputCount, layers, plan.Loss, plan.Precision, plan.ParameterCount));
    }
}

/// <summary>
/// Finds and reads the weights file a declaration names, for the generator (which compiles the weights in, or stubs the
/// network) and the analyzer (which reports the problem at <c>Weights = "…"</c>) alike, so the two never disagree. The
/// formats are read by the runtime's own readers (Interop/Formats, compiled into the generator too).
/// </summary>
internal static class WeightsFile
{
    /// <summary>The metadata the build targets put on an encoded file: the original's path as listed.</summary>
    public const string SourceMetadata = "BackpropWeightsSource";

    /// <summary>The metadata the build targets put on an encoded file: the original's full path.</summary>
    public const string FullPathMetadata = "BackpropWeightsFullPath";

    /// <summary>How an AdditionalFiles item's metadata reaches analyzers (through CompilerVisibleItemMetadata).</summary>
    private const string MetadataKey = "build_metadata.AdditionalFiles.";

    public const string OnnxExtension = ".onnx";
    public const string SafeTensorsExtension = ".safetensors";
    public const string ModelFileExtension = ".bpn";

    /// <summary>The encoded weights file <paramref name="text"/> stands for, or null for any other additional file.</summary>
    public static WeightsFileText? From(AdditionalText text, AnalyzerConfigOptions options, CancellationToken cancellationToken)
    {
        if (!options.TryGetValue(MetadataKey + SourceMetadata, out string? source) || string.IsNullOrEmpty(source))
        {
            return null;
        }

        string fullPath = options.TryGetValue(MetadataKey + FullPathMetadata, out string? full) && !string.IsNullOrEmpty(full) ? full : source;
        return new WeightsFileText(source, fullPath, text.GetText(cancellationToken)?.ToString() ?? "");
    }

    /// <summary>The project's encoded weights files, as the analyzer sees them.</summary>
    public static IReadOnlyList<WeightsFileText> From(AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var files = new List<WeightsFileText>();
        foreach (AdditionalText text in options.AdditionalFiles)
        {
            if (From(text, options.AnalyzerConfigOptionsProvider.GetOptions(text), cancellationToken) is { } file)
            {
                files.Add(file);
            }
        }

        return files;
    }

    /// <summary>
    /// The one listed weights file whose path ends with <paramref name="weights"/> (whole path segments, <c>/</c> and
    /// <c>\</c> alike), or the problem: an extension no reader has, no such file, or more than one.
    /// </summary>
    public static (WeightsFileText? File, WeightsProblem? Problem) Find(string weights, IEnumerable<WeightsFileText> files)
    {
        if (FormatOf(weights) is null)
        {
            return (null, Problem(DiagnosticDescriptors.WeightsFileUnsupportedExtension, weights));
        }

        string wanted = Normalise(weights);
        List<WeightsFileText> listed = [.. files];
        WeightsFileText[] matches = [.. listed
            .Where(f => EndsWithPath(Normalise(f.FullPath), wanted) || EndsWithPath(Normalise(f.Source), wanted))
            .GroupBy(f => f.FullPath, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(f => f.Source, StringComparer.Ordinal)];
        if (matches.Length == 1)
        {
            return (matches[0], null);
        }

        if (matches.Length > 1)
        {
            return (null, Problem(DiagnosticDescriptors.WeightsFileAmbiguous, weights, string.Join(", ", matches.Select(m => $"'{m.Source}'"))));
        }

        string known = listed.Count == 0
            ? "it has none"
            : "it has " + string.Join(", ", listed.Select(f => $"'{f.Source}'").Distinct().OrderBy(s => s, StringComparer.Ordinal));
        return (null, Problem(DiagnosticDescriptors.WeightsFileNotFound, weights, known, Path.GetFileName(wanted.Replace('/', Path.DirectorySeparatorChar))));
    }

    /// <summary>Finds and reads the weights of <paramref name="target"/> among <paramref name="files"/>.</summary>
    public static WeightsOutcome Resolve(WeightsTarget target, IEnumerable<WeightsFileText> files, CancellationToken cancellationToken)
    {
        (WeightsFileText? file, WeightsProblem? problem) = Find(target.Weights, files);
        return file is null ? new WeightsOutcome(null, problem) : Read(target, file, cancellationToken);
    }

    /// <summary>
    /// Decodes and reads <paramref name="file"/> by its extension and checks it against <paramref name="target"/>: its
    /// precision, its shape, and that every value is finite.
    /// </summary>
    public static WeightsOutcome Read(WeightsTarget target, WeightsFileText file, CancellationToken cancellationToken)
    {
        string? format = FormatOf(file.Source) ?? FormatOf(target.Weights);
        try
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(file.Base64);
            }
            catch (FormatException)
            {
                return Unreadable($"the text that stands for '{file.Source}' is not base64, as the build targets write it; rebuild, so that they encode the file again");
            }

            cancellationToken.ThrowIfCancellationRequested();
            return format switch
            {
                OnnxFormat => ReadOnnx(target, file, bytes),
                SafeTensorsFormat => ReadSafeTensors(target, file, bytes),
                _ => ReadModelFile(target, file, bytes),
            };
        }
        catch (InvalidModelException exception)
        {
            return Unreadable(exception.Message.TrimEnd('.'));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A reader meeting bytes it did not foresee: still the file's problem, and said as one.
            return Unreadable($"the file '{file.Source}' could not be read ({exception.GetType().Name}: {exception.Message.TrimEnd('.')})");
        }
    }

    private const string OnnxFormat = "ONNX";
    private const string SafeTensorsFormat = "safetensors";
    private const string ModelFileFormat = "Backprop model file";

    /// <summary>The format a path's extension names, or null.</summary>
    public static string? FormatOf(string path)
        => Extension(path) switch
        {
            OnnxExtension => OnnxFormat,
            SafeTensorsExtension => SafeTensorsFormat,
            ModelFileExtension => ModelFileFormat,
            _ => null,
        };

    private static string Extension(string path)
    {
        string name = Normalise(path);
        int slash = name.LastIndexOf('/');
        int dot = name.LastIndexOf('.');
        return dot > slash ? name.Substring(dot).ToLowerInvariant() : "";
    }

    private static WeightsOutcome ReadOnnx(WeightsTarget target, WeightsFileText file, byte[] bytes)
    {
        DenseStack stack = OnnxDenseStackReader.Read(OnnxGraph.Read(bytes, $"The ONNX file '{file.Source}'"));
        if (CheckPrecision(target, file, stack.IsDouble) is { } precision)
        {
            return precision;
        }

        if (stack.FirstDifference(target.InputCount, [.. target.Layers.Select(l => (l.Size, l.Activation.ToString()))]) is { } difference)
        {
            return Mismatch(file, $"it holds {stack.Describe()}: {difference}");
        }

        var values = new List<double>();
        foreach (DenseStackLayer layer in stack.Layers)
        {
            values.AddRange(layer.Weights);
            values.AddRange(layer.Biases);
        }

        return Compiled(target, file, OnnxFormat, values);
    }

    private static WeightsOutcome ReadSafeTensors(WeightsTarget target, WeightsFileText file, byte[] bytes)
    {
        string subject = $"The safetensors file '{file.Source}'";
        SafeTensorsModel model = SafeTensorsFile.Read(bytes, subject);
        var values = new List<double>();
        var expected = new HashSet<string>(StringComparer.Ordinal);
        int inputs = target.InputCount;
        for (int k = 0; k < target.Layers.Count; k++)
        {
            int outputs = target.Layers[k].Size;
            string prefix = (2 * k).ToString(CultureInfo.InvariantCulture);
            foreach ((string name, long[] shape) in new[] { (prefix + ".weight", new long[] { outputs, inputs }), (prefix + ".bias", new long[] { outputs }) })
            {
                expected.Add(name);
                if (model.Find(name) is not { } entry)
                {
                    string held = model.Entries.Count == 0 ? "no tensor" : string.Join(", ", model.Entries.Select(e => $"'{e.Name}'"));
                    return Mismatch(file, $"it has no tensor '{name}', which the network's layer {k + 1} needs (nn.Sequential's names); it holds {held}");
                }

                if (CheckPrecision(target, file, entry.DType == "F64") is { } precision)
                {
                    return precision;
                }

                if (!entry.Shape.SequenceEqual(shape))
                {
                    return Mismatch(file, $"it holds '{name}' with shape {entry.DescribeShape()}, and the network's layer {k + 1} needs {SafeTensorsEntry.Describe(shape)}");
                }

                values.AddRange(model.Values(entry));
            }

            inputs = outputs;
        }

        if (model.Entries.FirstOrDefault(e => !expected.Contains(e.Name)) is { } extra)
        {
            return Mismatch(file, $"it holds a tensor '{extra.Name}' that the network has no place for");
        }

        return Compiled(target, file, SafeTensorsFormat, values);
    }

    private static WeightsOutcome ReadModelFile(WeightsTarget target, WeightsFileText file, byte[] bytes)
    {
        BackpropModelFile model = BackpropModelFile.Read(bytes, $"The model file '{file.Source}'");
        if (CheckPrecision(target, file, model.IsDouble) is { } precision)
        {
            return precision;
        }

        if (!string.Equals(model.Architecture, target.Architecture, StringComparison.Ordinal))
        {
            return Mismatch(file, $"it was saved from {model.Architecture}, and the network is {target.Architecture}");
        }

        return Compiled(target, file, ModelFileFormat, model.Parameters);
    }

    private static WeightsOutcome? CheckPrecision(WeightsTarget target, WeightsFileText file, bool isDouble)
    {
        if (isDouble == (target.Precision == Precision.Double))
        {
            return null;
        }

        string held = isDouble ? "double" : "float";
        string network = isDouble ? "float" : "double";
        return new WeightsOutcome(null, Problem(DiagnosticDescriptors.WeightsPrecisionMismatch, file.Source, held, network, isDouble ? "Double" : "Single"));
    }

    /// <summary>The weights, once every value is known finite (a layer at a time, so the first bad one is named by its place).</summary>
    private static WeightsOutcome Compiled(WeightsTarget target, WeightsFileText file, string format, IReadOnlyList<double> values)
    {
        int index = 0;
        int inputs = target.InputCount;
        for (int k = 0; k < target.Layers.Count; k++)
        {
            int outputs = target.Layers[k].Size;
            for (int j = 0; j < outputs; j++)
            {
                for (int i = 0; i < inputs; i++, index++)
                {
                    if (NotFinite(values[index]) is { } what)
                    {
                        return NonFinite(file, what, $"W{k + 1}[{j}, {i}] (layer {k + 1}, neuron {j}, input {i})");
                    }
                }
            }

            for (int j = 0; j < outputs; j++, index++)
            {
                if (NotFinite(values[index]) is { } what)
                {
                    return NonFinite(file, what, $"b{k + 1}[{j}] (layer {k + 1}, neuron {j})");
                }
            }

            inputs = outputs;
        }

        return new WeightsOutcome(new CompiledWeights(format, values.ToEquatableArray()), null);
    }

    private static string? NotFinite(double value)
        => double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+∞" : double.IsNegativeInfinity(value) ? "−∞" : null;

    private static WeightsOutcome NonFinite(WeightsFileText file, string value, string place)
        => new(null, Problem(DiagnosticDescriptors.WeightsNotFinite, file.Source, value, place));

    private static WeightsOutcome Mismatch(WeightsFileText file, string difference)
        => new(null, Problem(DiagnosticDescriptors.WeightsArchitectureMismatch, file.Source, difference));

    private static WeightsOutcome Unreadable(string message)
        => new(null, Problem(DiagnosticDescriptors.WeightsFileUnreadable, message));

    private static WeightsProblem Problem(DiagnosticDescriptor descriptor, params string[] arguments)
        => new(descriptor, arguments.ToEquatableArray());

    private static string Normalise(string path)
    {
        string normal = path.Replace('\\', '/');
        while (normal.StartsWith("./", StringComparison.Ordinal))
        {
            normal = normal.Substring(2);
        }

        return normal;
    }

    private static bool EndsWithPath(string path, string end)
        => end.Length > 0
           && (string.Equals(path, end, StringComparison.Ordinal)
               || (path.EndsWith(end, StringComparison.Ordinal) && (end[0] == '/' || path[path.Length - end.Length - 1] == '/')));
}

/// <summary>A network that names a weights file, and the one listed file its name matches (or why none).</summary>
internal sealed record WeightsMatch(NetworkPlan Plan, WeightsFileText? File, WeightsProblem? Problem);

/// <summary>A network with its weights read: the plan and its compiled weights, or the stub that stands in for it.</summary>
internal sealed record CompiledNetwork(NetworkPlan Plan, CompiledWeights? Weights, NetworkStub? Stub)
{
    public static CompiledNetwork Read(WeightsMatch match, CancellationToken cancellationToken)
    {
        NetworkPlan plan = match.Plan;
        WeightsOutcome outcome = match.File is { } file
            ? WeightsFile.Read(WeightsTarget.Of(plan, plan.Weights!), file, cancellationToken)
            : new WeightsOutcome(null, match.Problem);
        return outcome is { Weights: { } weights }
            ? new CompiledNetwork(plan, weights, null)
            : new CompiledNetwork(plan, null, new NetworkStub(plan.Type, plan.Precision, outcome.Problem!.Describe(plan.Type.Name), default, HasCompiledWeights: true));
    }
}
