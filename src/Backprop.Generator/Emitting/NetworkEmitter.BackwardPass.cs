using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    /// <summary>
    /// From the output layer down: δ⁽ˡ⁻¹⁾ from δ⁽ˡ⁾ through W⁽ˡ⁾, then the gradient of W⁽ˡ⁾ and b⁽ˡ⁾,
    /// added into <c>gradient</c> (Backward) or applied as an SGD step (TrainStep). δ⁽ˡ⁻¹⁾ always
    /// reads W⁽ˡ⁾ before the step changes it.
    /// </summary>
    private void WriteBackwardPass(GeneratedMethod method)
    {
        for (int l = _plan.Layers.Count; l >= 1; l--)
        {
            LayerPlan layer = _plan.Layers[l - 1];
            if (layer.Emission == LayerEmission.Unrolled)
            {
                if (PreviousLayer(layer) is { } previous)
                {
                    _writer.WriteBlankLine();
                    WriteUnrolledPropagation(layer, previous);
                }

                _writer.WriteBlankLine();
                WriteUnrolledUpdate(layer, method);
            }
            else
            {
                _writer.WriteBlankLine();
                WriteVectorizedBackward(layer, method);
            }
        }
    }

    private static string DescribePropagation(LayerPlan layer, LayerPlan previous)
    {
        string from = previous.Definition.DerivativeReads == Definitions.DerivativeInput.PreActivation
            ? $"z{previous.Number}ᵢ"
            : $"a{previous.Number}ᵢ";
        return $"// Hidden δ{previous.Number}ᵢ = g′({from})·Σⱼ δ{layer.Number}ⱼ·W{layer.Number}[j,i], {previous.Definition.DerivativeFormula}";
    }

    private string DescribeUpdate(LayerPlan layer, GeneratedMethod method)
        => method == GeneratedMethod.AccumulateGradient
            ? $"// Gradient of layer {layer.Number}: ∂L/∂W{layer.Number}[j,i] = δ{layer.Number}ⱼ·{PreviousName(layer)}ᵢ, ∂L/∂b{layer.Number}[j] = δ{layer.Number}ⱼ"
            : $"// SGD on layer {layer.Number}: W{layer.Number}[j,i] −= α·δ{layer.Number}ⱼ·{PreviousName(layer)}ᵢ, b{layer.Number}[j] −= α·δ{layer.Number}ⱼ";

    private void WriteUnrolledPropagation(LayerPlan layer, LayerPlan previous)
    {
        _writer.WriteLine(DescribePropagation(layer, previous));
        int n = layer.InputCount;
        for (int i = 0; i < n; i++)
        {
            string? derivative = DerivativeFactor(previous, Index(i));
            System.Func<string, string>? wrap = derivative is null ? null : sum => $"{Parenthesized(sum)} * {derivative}";
            WriteSum(
                Delta(previous, Index(i)),
                DeclarationOf(previous),
                null,
                Terms(layer.Size, j => $"{Delta(layer, Index(j))} * w{layer.Number}[{Index((j * n) + i)}]"),
                wrap);
        }
    }

    private void WriteUnrolledUpdate(LayerPlan layer, GeneratedMethod method)
    {
        _writer.WriteLine(DescribeUpdate(layer, method));
        bool step = method != GeneratedMethod.AccumulateGradient;
        int n = layer.InputCount;
        for (int j = 0; j < layer.Size; j++)
        {
            string delta = Delta(layer, Index(j));
            for (int i = 0; i < n; i++)
            {
                string weight = $"[{Index((j * n) + i)}]";
                string input = PreviousAt(layer, Index(i));
                _writer.WriteLine(step
                    ? $"w{layer.Number}{weight} -= learningRate * {delta} * {input};"
                    : $"dw{layer.Number}{weight} += {delta} * {input};");
            }

            _writer.WriteLine(step
                ? $"b{layer.Number}[{Index(j)}] -= learningRate * {delta};"
                : $"db{layer.Number}[{Index(j)}] += {delta};");
        }
    }

    private void WriteVectorizedBackward(LayerPlan layer, GeneratedMethod method)
    {
        LayerPlan? previous = PreviousLayer(layer);
        string input = PreviousSpan(layer);
        string delta = $"delta{layer.Number}";
        string w = $"w{layer.Number}", b = $"b{layer.Number}";
        if (previous is not null)
        {
            _writer.WriteLine(DescribePropagation(layer, previous) + ", Σⱼ from W before the step changes it");
        }

        _writer.WriteLine(DescribeUpdate(layer, method));
        bool step = method != GeneratedMethod.AccumulateGradient;
        string call = (step, previous) switch
        {
            (true, null) => $"Step<{_t}>({w}, {b}, {delta}, {input}, learningRate)",
            (true, _) => $"PropagateAndStep<{_t}>({w}, {b}, {delta}, {input}, delta{previous.Number}, learningRate)",
            (false, null) => $"Accumulate<{_t}>(d{w}, d{b}, {delta}, {input})",
            _ => $"PropagateAndAccumulate<{_t}>({w}, d{w}, d{b}, {delta}, {input}, delta{previous.Number})",
        };
        _writer.WriteLine($"{DenseKernels}.{call};");

        if (previous?.Definition.RuntimeOperator is not null)
        {
            _writer.WriteLine($"{Activations}.MultiplyByDerivative<{_t}, {Operator(previous.Definition)}>({DerivativeSource(previous)}, delta{previous.Number});");
        }
    }
}
