using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Definitions;
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

    /// <summary>The runtime operator of an element-wise activation: <c>global::Backprop.CompilerServices.TanhOperator&lt;float&gt;</c>.</summary>
    private string Operator(ActivationDefinition activation)
        => _syntax.Operator(activation.RuntimeOperator ?? throw new InvalidOperationException($"{activation.Name} has no element-wise operator."));

    /// <summary>g(z) for an element-wise activation; z itself for the identity, which has no operator.</summary>
    private string ActivationCall(ActivationDefinition activation, string z)
        => activation.RuntimeOperator is null ? z : $"{Operator(activation)}.Invoke({z})";

    /// <summary>g′ from z or a (as the activation's derivative reads), or null for the identity (g′ = 1, no multiply).</summary>
    private string? DerivativeFactor(LayerPlan layer, string index)
        => layer.Definition.DerivativeReads switch
        {
            DerivativeInput.None => null,
            DerivativeInput.Activation => $"{Operator(layer.Definition)}.Derivative({A(layer, index)})",
            DerivativeInput.PreActivation => $"{Operator(layer.Definition)}.Derivative({Z(layer, index)})",
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Definition.DerivativeReads, "Unknown derivative input."),
        };

    /// <summary>The span (or vector) the derivative of <paramref name="layer"/> reads: <c>z2</c> or <c>a2</c>.</summary>
    private static string DerivativeSource(LayerPlan layer)
        => layer.Definition.DerivativeReads == DerivativeInput.PreActivation ? $"z{layer.Number}" : $"a{layer.Number}";

    /// <summary>∂L/∂yₖ of a loss of the outputs, from the error tₖ − yₖ.</summary>
    private string LossGradient(string error)
        => _plan.LossDefinition.Gradient?.Invoke(_syntax, error)
           ?? throw new InvalidOperationException($"{_plan.Loss} has no separate ∂L/∂y: it is fused with its output activation.");

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
