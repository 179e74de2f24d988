using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Backprop.Tests.Registry;
using CsCheck;

namespace Backprop.PropertyTests;

/// <summary>
/// One drawn network: the declaration (loss, precision, input size, layers) and the seed of the data it is
/// tested with (parameters and samples), so a case is reproduced exactly by these two alone.
/// </summary>
public sealed partial record ArchitectureCase(Loss Loss, Precision Precision, int InputSize, IReadOnlyList<Layer> Layers, int DataSeed)
{
    /// <summary>The class name a case has when it is printed or replayed alone.</summary>
    public const string DefaultClassName = "Net";

    public Architecture Architecture { get; } = new(Loss, InputSize, Layers);

    /// <summary>
    /// The user's source for this network. With <paramref name="precision"/>, the same declaration in that
    /// precision instead (a float network's double twin).
    /// </summary>
    public string Declaration(string className = DefaultClassName, Precision? precision = null)
    {
        var source = new StringBuilder();
        source.Append("using Backprop;\n\n");
        source.Append(CultureInfo.InvariantCulture, $"[Network(Loss.{Loss}{((precision ?? Precision) == Precision.Double ? ", Precision = Precision.Double" : "")})]\n");
        source.Append(CultureInfo.InvariantCulture, $"[Input({InputSize})]\n");
        foreach (Layer layer in Layers)
        {
            source.Append(CultureInfo.InvariantCulture, $"[Dense({layer.Size}, Activation.{layer.Activation})]\n");
        }

        source.Append(CultureInfo.InvariantCulture, $"public partial class {className};\n");
        return source.ToString();
    }

    /// <summary>
    /// Reads back a declaration in the form <see cref="Declaration"/> writes, so a printed failure can be
    /// pasted into a plain test. Anything else is rejected rather than guessed at.
    /// </summary>
    public static ArchitectureCase Parse(string declaration, int dataSeed)
    {
        string normalized = string.Join("\n", declaration.ReplaceLineEndings("\n").Split('\n').Select(line => line.Trim())).Trim() + "\n";
        Match network = NetworkPattern().Match(normalized);
        Match input = InputPattern().Match(normalized);
        if (!network.Success || !input.Success)
        {
            throw new ArgumentException("Not a declaration as the property test prints it.", nameof(declaration));
        }

        var parsed = new ArchitectureCase(
            Enum.Parse<Loss>(network.Groups["loss"].Value),
            network.Groups["double"].Success ? Precision.Double : Precision.Single,
            int.Parse(input.Groups["size"].Value, CultureInfo.InvariantCulture),
            [.. DensePattern().Matches(normalized).Select(m => new Layer(int.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture), Enum.Parse<Activation>(m.Groups["activation"].Value)))],
            dataSeed);
        string className = ClassPattern().Match(normalized) is { Success: true } match ? match.Groups["name"].Value : DefaultClassName;
        if (parsed.Declaration(className) != normalized)
        {
            throw new ArgumentException($"Not a declaration as the property test prints it; it reads back as\n{parsed.Declaration(className)}", nameof(declaration));
        }

        return parsed;
    }

    /// <summary>The declaration and its data seed, as a failure prints them.</summary>
    public override string ToString() => $"// data seed {DataSeed.ToString(CultureInfo.InvariantCulture)}\n{Declaration()}";

    [GeneratedRegex(@"^\[Network\(Loss\.(?<loss>\w+)(?<double>, Precision = Precision\.Double)?\)\]$", RegexOptions.Multiline)]
    private static partial Regex NetworkPattern();

    [GeneratedRegex(@"^\[Input\((?<size>\d+)\)\]$", RegexOptions.Multiline)]
    private static partial Regex InputPattern();

    [GeneratedRegex(@"^\[Dense\((?<size>\d+), Activation\.(?<activation>\w+)\)\]$", RegexOptions.Multiline)]
    private static partial Regex DensePattern();

    [GeneratedRegex(@"^public partial class (?<name>\w+);$", RegexOptions.Multiline)]
    private static partial Regex ClassPattern();
}

/// <summary>The CsCheck generator of valid architectures.</summary>
public static class Architectures
{
    public const int MinSize = 1;
    public const int MaxSize = 12;
    public const int MaxHiddenLayers = 4;

    private static readonly Gen<int> Sizes = Gen.Int[MinSize, MaxSize];

    private static readonly Gen<Layer> HiddenLayers =
        Gen.Select(Sizes, Gen.OneOf([.. Declarable.HiddenActivations]), (size, activation) => new Layer(size, activation));

    /// <summary>
    /// An accepted output activation · loss pair and the output layer. A softmax layer has two or more
    /// outputs but, one time in ten, one: legal, if pointless (its output is always 1, its gradient 0).
    /// </summary>
    private static readonly Gen<(Loss Loss, Layer Output)> Outputs =
        Gen.OneOf([.. Declarable.AcceptedPairs]).SelectMany(pair =>
            (pair.Output == Activation.Softmax ? Gen.Frequency((9, Gen.Int[2, MaxSize]), (1, Gen.Const(1))) : Sizes)
                .Select(size => (pair.Loss, new Layer(size, pair.Output))));

    /// <summary>0 to 4 hidden layers of 1 to 12 neurons, 1 to 12 inputs, any accepted output, float or double.</summary>
    public static Gen<ArchitectureCase> Cases { get; } = Gen.Select(
        Gen.OneOf(Precision.Double, Precision.Single),
        Sizes,
        Gen.Int[0, MaxHiddenLayers].SelectMany(count => HiddenLayers.Array[count]),
        Outputs,
        new Unsized<int>(Gen.Int[0, 999_999]),
        (precision, inputs, hidden, output, dataSeed) =>
            new ArchitectureCase(output.Loss, precision, inputs, [.. hidden, output.Output], dataSeed));

    /// <summary>
    /// Draws from <paramref name="gen"/> but counts nothing towards the size CsCheck shrinks by: the data
    /// seed says which data, not how big a case is, so a smaller failing case must have a smaller network.
    /// </summary>
    private sealed class Unsized<T>(Gen<T> gen) : Gen<T>
    {
        public override T Generate(PCG pcg, Size? min, out Size size)
        {
            size = new Size(0);
            return gen.Generate(pcg, null, out _);
        }
    }

    /// <summary>
    /// <paramref name="count"/> cases drawn one after another from <paramref name="seed"/>, each with the
    /// CsCheck seed that draws it alone (<see cref="FromSeed"/>).
    /// </summary>
    public static IReadOnlyList<(string Seed, ArchitectureCase Case)> Draw(string seed, int count)
    {
        PCG random = PCG.Parse(seed);
        var cases = new List<(string, ArchitectureCase)>(count);
        for (int n = 0; n < count; n++)
        {
            ulong state = random.State;
            cases.Add((random.ToString(state), Cases.Generate(random, null, out _)));
        }

        return cases;
    }

    /// <summary>The case a CsCheck seed draws, as <c>Cases.Sample(…, seed: seed)</c> draws it first.</summary>
    public static ArchitectureCase FromSeed(string seed) => Cases.Generate(PCG.Parse(seed), null, out _);
}
