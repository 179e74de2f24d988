using System.Collections.Generic;
using Backprop.Generator.Definitions;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    /// <summary>
    /// a⁽ˡ⁾ = g(W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾) for every layer, keeping z⁽ˡ⁾ apart where the plan says the method needs it.
    /// </summary>
    private void WriteForwardPass(GeneratedMethod method)
    {
        if (_plan.InputStorage == VectorStorage.Locals)
        {
            _writer.WriteBlankLine();
            _writer.WriteLine("// x: the inputs, read once into locals");
            for (int i = 0; i < _plan.InputCount; i++)
            {
                _writer.WriteLine($"{_t} x{Index(i)} = input[{Index(i)}];");
            }
        }

        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteBlankLine();
            bool keepsZ = _plan.KeepsPreActivation(layer, method);
            WriteLayerHeading(layer, layer.Emission == LayerEmission.Unrolled ? "unrolled" : "vectorised");
            if (layer.Emission == LayerEmission.Unrolled)
            {
                WriteUnrolledLayerForward(layer, keepsZ);
            }
            else
            {
                WriteVectorizedLayerForward(layer, keepsZ);
            }
        }
    }

    /// <summary>The comment above a layer's forward code: its declaration, how it is emitted, and its formula.</summary>
    private void WriteLayerHeading(LayerPlan layer, string emittedAs)
    {
        ActivationDefinition activation = layer.Definition;
        string formula = activation.IsElementWise ? $"a{layer.Number} = {activation.Applied("z" + layer.Number)}" : $"then {activation.Name.ToLowerInvariant()}";
        _writer.WriteLine(
            $"// Layer {layer.Number}: Dense({layer.Size}, {layer.Activation}), {emittedAs}. " +
            $"z{layer.Number} = W{layer.Number}·{PreviousName(layer)} + b{layer.Number}, {formula}");
    }

    /// <summary>
    /// One sum per neuron. z is written apart from a when it is kept, and always for softmax, whose every output
    /// needs every logit.
    /// </summary>
    private void WriteUnrolledLayerForward(LayerPlan layer, bool keepsZ)
    {
        ActivationDefinition activation = layer.Definition;
        bool separateZ = keepsZ || !activation.IsElementWise;
        int n = layer.InputCount;
        for (int j = 0; j < layer.Size; j++)
        {
            IReadOnlyList<string> terms = Terms(n, i => $"w{layer.Number}[{Index((j * n) + i)}] * {PreviousAt(layer, Index(i))}");
            string bias = $"b{layer.Number}[{Index(j)}]";
            if (separateZ)
            {
                WriteSum(Z(layer, Index(j)), DeclarationOf(layer), bias, terms);
            }
            else
            {
                System.Func<string, string>? wrap = activation.RuntimeOperator is null
                    ? null
                    : z => ActivationCall(activation, z);
                WriteSum(A(layer, Index(j)), DeclarationOf(layer), bias, terms, wrap);
            }
        }

        if (!separateZ)
        {
            return;
        }

        if (activation.IsElementWise)
        {
            for (int k = 0; k < layer.Size; k++)
            {
                _writer.WriteLine($"{DeclarationOf(layer)}{A(layer, Index(k))} = {ActivationCall(activation, Z(layer, Index(k)))};");
            }

            return;
        }

        string max = $"max{layer.Number}";
        string sum = $"sum{layer.Number}";
        _writer.WriteLine($"// softmax: {activation.Formula}");
        _writer.WriteLine($"{_t} {max} = {Z(layer, "0")};");
        for (int k = 1; k < layer.Size; k++)
        {
            _writer.WriteLine($"{max} = {_t}.Max({max}, {Z(layer, Index(k))});");
        }

        for (int k = 0; k < layer.Size; k++)
        {
            _writer.WriteLine($"{DeclarationOf(layer)}{A(layer, Index(k))} = {_t}.Exp({Z(layer, Index(k))} - {max});");
        }

        WriteSum(sum, _t + " ", null, Terms(layer.Size, k => A(layer, Index(k))));
        for (int k = 0; k < layer.Size; k++)
        {
            _writer.WriteLine($"{A(layer, Index(k))} /= {sum};");
        }

        if (keepsZ && _plan.LossDefinition.ReadsLogSumExp)
        {
            _writer.WriteLine($"{_t} logSumExp = {max} + {_t}.Log({sum});");
        }
    }

    private void WriteVectorizedLayerForward(LayerPlan layer, bool keepsZ)
    {
        string target = keepsZ ? $"z{layer.Number}" : $"a{layer.Number}";
        _writer.WriteLine($"{DenseKernels}.Forward<{_t}>(w{layer.Number}, b{layer.Number}, {PreviousSpan(layer)}, {target});");
        WriteSpanActivation(layer, keepsZ);
    }

    /// <summary>a⁽ˡ⁾ = g(z⁽ˡ⁾) over a span layer whose z is in <c>z{l}</c> (kept apart) or already in <c>a{l}</c>.</summary>
    private void WriteSpanActivation(LayerPlan layer, bool keepsZ)
    {
        ActivationDefinition activation = layer.Definition;
        string a = $"a{layer.Number}";
        string z = keepsZ ? $"z{layer.Number}" : a;
        if (!activation.IsElementWise)
        {
            string result = keepsZ && _plan.LossDefinition.ReadsLogSumExp ? $"{_t} logSumExp = " : "";
            _writer.WriteLine($"// softmax: {activation.Formula}");
            _writer.WriteLine($"{result}{Softmax}.Compute<{_t}>({z}, {a});");
        }
        else if (activation.RuntimeOperator is not null)
        {
            _writer.WriteLine($"{Activations}.Apply<{_t}, {Operator(activation)}>({z}, {a});");
        }
        else if (keepsZ)
        {
            _writer.WriteLine($"{z}.CopyTo({a});");
        }
    }
}
