using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;
using Backprop.Generator.Weights;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    private void WriteConstants()
    {
        _writer.WriteLine("/// <summary>The number of inputs.</summary>");
        _writer.WriteLine($"public const int {GeneratedMembers.InputCount} = {Index(_plan.InputCount)};");
        _writer.WriteBlankLine();
        _writer.WriteLine("/// <summary>The number of outputs (neurons of the output layer).</summary>");
        _writer.WriteLine($"public const int {GeneratedMembers.OutputCount} = {Index(_plan.OutputCount)};");
        _writer.WriteBlankLine();
        _writer.WriteLine($"/// <summary>The number of weights and biases: the length of <see cref=\"{GeneratedMembers.Parameters}\"/>.</summary>");
        _writer.WriteLine($"public const int {GeneratedMembers.ParameterCount} = {Index(_plan.ParameterCount)};");
        _writer.WriteBlankLine();
        _writer.WriteLine("/// <summary>The declaration this class was generated from, for a program to print what it runs.</summary>");
        _writer.WriteStringConstant($"public const string {GeneratedMembers.Architecture}", DescribeArchitecture());
    }

    /// <summary>Input(4) → Dense(8, Tanh) → Dense(3, Softmax); Loss.CrossEntropy; Precision.Single; 67 parameters.</summary>
    private string DescribeArchitecture()
        => NetworkSpec.DescribeArchitecture(_plan.InputCount, Layers.Select(l => (l.Size, l.Activation)), _plan.Loss, _plan.Precision, _plan.ParameterCount);

    private void WriteParameterStorage()
    {
        _writer.WriteLine($"private readonly {AlignedBuffer} {GeneratedMembers.ParametersField} = {GeneratedMembers.CreateParameters}();");
        _writer.WriteBlankLine();
        _writer.WriteLine($"private {AlignedBuffer} {GeneratedMembers.BatchGradientField};");
    }

    private void WriteParametersProperty()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine($"/// All {Number(_plan.ParameterCount)} weights and biases. Per layer, in order: the weights W row-major by output neuron");
        if (_weights is null)
        {
            _writer.WriteLine("/// (W[j, i] at offset + j·inputs + i), then the biases b. A new network starts from");
            _writer.WriteLine($"/// <see cref=\"{GeneratedMembers.InitializeParameters}(int)\"/> with seed 0.");
        }
        else
        {
            _writer.WriteLine("/// (W[j, i] at offset + j·inputs + i), then the biases b. A new network starts with the weights compiled in");
            _writer.WriteLine($"/// from {XmlText(_plan.Weights!)}; <see cref=\"{GeneratedMembers.ResetToCompiledWeights}\"/> returns to them.");
        }
        _writer.WriteLine("/// </summary>");
        _writer.WriteLine("/// <remarks>");
        _writer.WriteLine("/// <list type=\"table\">");
        _writer.WriteLine("/// <listheader><term>Layer</term><description>Weights, then biases</description></listheader>");
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteLine(
                $"/// <item><term>{layer.Number}: Dense({layer.Size}, {layer.Activation})</term>" +
                $"<description>W{layer.Number} [{layer.Size} × {layer.InputCount}] at {layer.WeightOffset}, " +
                $"b{layer.Number} [{layer.Size}] at {layer.BiasOffset}</description></item>");
        }

        _writer.WriteLine("/// </list>");
        _writer.WriteLine("/// </remarks>");
        _writer.WriteLine($"public {Span} {GeneratedMembers.Parameters} => {GeneratedMembers.ParametersField}.Span;");
    }

    private void WriteInterfaceCounts()
    {
        string network = $"global::Backprop.INetwork<{_t}>";
        _writer.WriteLine($"int {network}.{GeneratedMembers.InputCount} => {GeneratedMembers.InputCount};");
        _writer.WriteBlankLine();
        _writer.WriteLine($"int {network}.{GeneratedMembers.OutputCount} => {GeneratedMembers.OutputCount};");
        _writer.WriteBlankLine();
        _writer.WriteLine($"int {network}.{GeneratedMembers.ParameterCount} => {GeneratedMembers.ParameterCount};");
        _writer.WriteBlankLine();
        _writer.WriteLine($"string {network}.{GeneratedMembers.Architecture} => {GeneratedMembers.Architecture};");
    }

    private void WriteInitializeParameters()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine($"/// Sets every weight deterministically from <paramref name=\"seed\"/> and every bias to 0: {DescribeInitializers()}.");
        _writer.WriteLine("/// </summary>");
        _writer.WriteLine("/// <param name=\"seed\">The seed; the same seed gives the same parameters on every platform.</param>");
        _writer.WriteLine($"public void {GeneratedMembers.InitializeParameters}(int seed) => {GeneratedMembers.InitializeParameters}({GeneratedMembers.ParametersField}.Span, seed);");
        _writer.WriteBlankLine();

        using (_writer.WriteBlock($"private static {AlignedBuffer} {GeneratedMembers.CreateParameters}()"))
        {
            _writer.WriteLine($"{AlignedBuffer} parameters = new({GeneratedMembers.ParameterCount});");
            _writer.WriteLine(_weights is null
                ? $"{GeneratedMembers.InitializeParameters}(parameters.Span, seed: 0);"
                : $"{GeneratedMembers.CompiledParameters}.CopyTo(parameters.Span);");
            _writer.WriteLine("return parameters;");
        }

        _writer.WriteBlankLine();
        using (_writer.WriteBlock($"private static void {GeneratedMembers.InitializeParameters}({Span} parameters, int seed)"))
        {
            string random = ExpressionSyntax.CompilerServices + "ParameterRandom";
            _writer.WriteLine($"{random} random = new(seed);");
            foreach (LayerPlan layer in Layers)
            {
                string weights = $"parameters.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)})";
                switch (layer.Definition.Initializer)
                {
                    case Initializer.HeUniform:
                        _writer.WriteLine($"// Layer {layer.Number}: He-uniform W{layer.Number} ~ U(−r, r), r = √(6 / {layer.InputCount}); b{layer.Number} = 0");
                        _writer.WriteLine($"random.FillHeUniform<{_t}>({weights}, fanIn: {Index(layer.InputCount)});");
                        break;
                    case Initializer.GlorotUniform:
                        _writer.WriteLine($"// Layer {layer.Number}: Glorot-uniform W{layer.Number} ~ U(−r, r), r = √(6 / ({layer.InputCount} + {layer.Size})); b{layer.Number} = 0");
                        _writer.WriteLine($"random.FillGlorotUniform<{_t}>({weights}, fanIn: {Index(layer.InputCount)}, fanOut: {Index(layer.Size)});");
                        break;
                    default:
                        throw new System.ArgumentOutOfRangeException(nameof(layer), layer.Definition.Initializer, "Unknown initializer.");
                }

                _writer.WriteLine($"parameters.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)}).Clear();");
            }
        }
    }

    /// <summary>Which initializer each of this network's activations takes: "Glorot-uniform for Tanh and Softmax layers, He-uniform for ReLU layers".</summary>
    private string DescribeInitializers()
        => string.Join(", ", Layers
            .Select(l => l.Definition)
            .Distinct()
            .GroupBy(d => d.Initializer)
            .OrderBy(g => g.Key)
            .Select(g => $"{(g.Key == Initializer.HeUniform ? "He-uniform" : "Glorot-uniform")} for {JoinWords(g.OrderBy(d => d.Value).Select(d => d.Name).ToArray())} layers"));

    private static string JoinWords(string[] words)
        => words.Length == 1 ? words[0] : string.Join(", ", words.Take(words.Length - 1)) + " and " + words[words.Length - 1];

    /// <summary>How many compiled values a line holds: a float literal takes up to 16 characters, a double up to 24.</summary>
    private int CompiledValuesPerLine => _plan.Precision == Precision.Double ? 4 : 6;

    /// <summary>
    /// <c>ResetToCompiledWeights</c>, and the weights file's parameters as <c>CompiledParameters</c>: a
    /// <c>ReadOnlySpan</c> over a constant array, which the compiler stores as data in the assembly (no allocation and no
    /// file at run time), laid out a layer, a row of W and a bias vector at a time.
    /// </summary>
    private void WriteCompiledWeights(CompiledWeights weights)
    {
        string file = XmlText(_plan.Weights!);
        _writer.WriteLine($"/// <summary>Sets every weight and bias back to the ones compiled in from {file}, with which a new network starts.</summary>");
        _writer.WriteLine($"public void {GeneratedMembers.ResetToCompiledWeights}() => {GeneratedMembers.CompiledParameters}.CopyTo({GeneratedMembers.ParametersField}.Span);");
        _writer.WriteBlankLine();
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine($"/// The {Number(_plan.ParameterCount)} weights and biases read from {file} ({weights.Format}) at compile time, in the order of");
        _writer.WriteLine($"/// <see cref=\"{GeneratedMembers.Parameters}\"/>. The compiler stores them as data in the assembly; the span over them allocates nothing.");
        _writer.WriteLine("/// </summary>");
        using (_writer.WriteBlock($"private static {ReadOnlySpan} {GeneratedMembers.CompiledParameters} => new {_t}[]", close: "};"))
        {
            int offset = 0;
            foreach (LayerPlan layer in Layers)
            {
                if (layer.Number > 1)
                {
                    _writer.WriteBlankLine();
                }

                _writer.WriteLine(
                    $"// Layer {layer.Number}: Dense({layer.Size}, {layer.Activation}), W{layer.Number} [{layer.Size} × {layer.InputCount}] at {layer.WeightOffset}, " +
                    $"b{layer.Number} [{layer.Size}] at {layer.BiasOffset}");
                for (int j = 0; j < layer.Size; j++)
                {
                    _writer.WriteLine($"// W{layer.Number} row {j} (neuron {j} of layer {layer.Number})");
                    WriteCompiledValues(weights, offset, layer.InputCount);
                    offset += layer.InputCount;
                }

                _writer.WriteLine($"// b{layer.Number} (the biases of layer {layer.Number})");
                WriteCompiledValues(weights, offset, layer.Size);
                offset += layer.Size;
            }
        }
    }

    private void WriteCompiledValues(CompiledWeights weights, int offset, int count)
    {
        for (int start = 0; start < count; start += CompiledValuesPerLine)
        {
            int end = System.Math.Min(count, start + CompiledValuesPerLine);
            _writer.WriteLine(string.Join(" ", Enumerable.Range(offset + start, end - start).Select(i => CompiledLiteral(weights.Values[i]) + ",")));
        }
    }

    /// <summary>
    /// A value as a literal of the network's type that reads back to the same bits: the shortest round-trip form ("R"),
    /// or G9 / G17 where a runtime's "R" does not round-trip.
    /// </summary>
    private string CompiledLiteral(double value)
    {
        System.IFormatProvider invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (_plan.Precision == Precision.Single)
        {
            float single = (float)value;
            string text = single.ToString("R", invariant);
            if (!float.TryParse(text, System.Globalization.NumberStyles.Float, invariant, out float back) || back != single)
            {
                text = single.ToString("G9", invariant);
            }

            return text + "f";
        }

        string number = value.ToString("R", invariant);
        if (!double.TryParse(number, System.Globalization.NumberStyles.Float, invariant, out double parsed) || parsed != value)
        {
            number = value.ToString("G17", invariant);
        }

        return number.IndexOfAny(['.', 'E', 'e']) >= 0 ? number : number + ".0";
    }

    /// <summary>A file name as text in an XML doc comment.</summary>
    private static string XmlText(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
