using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    // Vector elements. Locals are named a1_0, delta1_0, z2_0, x0; spans are indexed a1[j]. The index is a
    // constant in unrolled code and a loop variable in the loss and δ loops of a vectorised output layer
    // (where the storage is always a span).

    private string InputAt(string index) => _plan.InputStorage == VectorStorage.Locals ? $"x{index}" : $"input[{index}]";

    private static string A(LayerPlan layer, string index) => Element("a", layer, index);

    private static string Z(LayerPlan layer, string index) => Element("z", layer, index);

    private static string Delta(LayerPlan layer, string index) => Element("delta", layer, index);

    private static string Element(string prefix, LayerPlan layer, string index)
        => layer.Storage == VectorStorage.Locals ? $"{prefix}{layer.Number}_{index}" : $"{prefix}{layer.Number}[{index}]";

    private LayerPlan? PreviousLayer(LayerPlan layer) => layer.Number == 1 ? null : _plan.Layers[layer.Number - 2];

    /// <summary>a⁽ˡ⁻¹⁾ᵢ, the input of <paramref name="layer"/> (x for the first layer).</summary>
    private string PreviousAt(LayerPlan layer, string index)
        => PreviousLayer(layer) is { } previous ? A(previous, index) : InputAt(index);

    /// <summary>The span holding a⁽ˡ⁻¹⁾; only asked for when layer l is vectorised, which makes it a span.</summary>
    private static string PreviousSpan(LayerPlan layer) => layer.Number == 1 ? "input" : $"a{layer.Number - 1}";

    private static string PreviousName(LayerPlan layer) => layer.Number == 1 ? "x" : $"a{layer.Number - 1}";

    /// <summary>The declaration prefix for a new element: "float " for a local, nothing for a span element.</summary>
    private string DeclarationOf(LayerPlan layer) => layer.Storage == VectorStorage.Locals ? _t + " " : "";

    /// <summary>g(z) for an element-wise activation.</summary>
    private string ActivationCall(Activation activation, string z) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => $"{NetworkMath}.Sigmoid({z})",
        Activation.Tanh => $"{NetworkMath}.Tanh({z})",
        Activation.ReLU => $"{NetworkMath}.ReLU({z})",
        Activation.LeakyReLU => $"{NetworkMath}.LeakyReLU({z})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>g′ written from the activation a, or null for the identity (g′ = 1, no multiply).</summary>
    private string? DerivativeFactor(Activation activation, string a) => activation switch
    {
        Activation.Identity => null,
        Activation.Sigmoid => $"({a} * ({Literal("1")} - {a}))",
        Activation.Tanh => $"({Literal("1")} - {a} * {a})",
        Activation.ReLU => $"({a} > {Literal("0")} ? {Literal("1")} : {Literal("0")})",
        Activation.LeakyReLU => $"({a} > {Literal("0")} ? {Literal("1")} : {Literal("0.01")})",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>∂L/∂yₖ of the squared-error losses, from the error tₖ − yₖ.</summary>
    private string LossGradient(string error) => _plan.Loss switch
    {
        Loss.SumSquaredError => $"{Literal("-2")} * {error}",
        Loss.HalfSumSquaredError => $"-{error}",
        Loss.MeanSquaredError => $"({Literal("-2")} / {GeneratedMembers.OutputCount}) * {error}",
        _ => throw new InvalidOperationException($"{_plan.Loss} has no separate ∂L/∂y: it is fused with its output activation."),
    };

    private static string Parenthesized(string expression) => expression.Contains(" + ") ? $"({expression})" : expression;

    /// <summary>
    /// Writes target = start + term₀ + term₁ + … as a flat left-nested sum, at most
    /// <see cref="TermsPerStatement"/> terms per statement, then applies <paramref name="wrap"/> to the
    /// total (an activation or a derivative factor), in the same statement when the sum fits in one.
    /// </summary>
    private void WriteSum(string target, string declaration, string? start, IReadOnlyList<string> terms, Func<string, string>? wrap = null)
    {
        var all = new List<string>(terms.Count + 1);
        if (start is not null)
        {
            all.Add(start);
        }

        all.AddRange(terms);
        if (all.Count <= TermsPerStatement + 1)
        {
            string sum = string.Join(" + ", all);
            _writer.WriteLine($"{declaration}{target} = {(wrap is null ? sum : wrap(sum))};");
            return;
        }

        for (int first = 0; first < all.Count; first += TermsPerStatement)
        {
            string chunk = string.Join(" + ", all.Skip(first).Take(TermsPerStatement));
            _writer.WriteLine(first == 0 ? $"{declaration}{target} = {chunk};" : $"{target} += {chunk};");
        }

        if (wrap is not null)
        {
            _writer.WriteLine($"{target} = {wrap(target)};");
        }
    }

    private static IReadOnlyList<string> Terms(int count, Func<int, string> term)
        => Enumerable.Range(0, count).Select(term).ToArray();
}
