using System.Collections.Generic;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    /// <summary>
    /// a⁽ˡ⁾ = g(W⁽ˡ⁾a⁽ˡ⁻¹⁾ + b⁽ˡ⁾) for every layer. Methods that compute a loss from logits also keep z⁽ᴸ⁾.
    /// </summary>
    private void WriteForwardPass(MethodKind kind)
    {
        bool keepLogits = ComputesLoss(kind) && _plan.KeepsLogits;
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
            bool isOutput = layer.Number == _plan.OutputLayer.Number;
            WriteLayerHeading(layer, layer.Emission == LayerEmission.Unrolled ? "unrolled" : "vectorised");
            if (layer.Emission == LayerEmission.Unrolled)
            {
                WriteUnrolledLayerForward(layer, separateLogits: isOutput && (keepLogits || layer.Activation == Activation.Softmax), keepLogits);
            }
            else
            {
                WriteVectorizedLayerForward(layer, separateLogits: isOutput && keepLogits);
            }
        }
    }

    /// <summary>The comment above a layer's forward code: its declaration, how it is emitted, and its formula.</summary>
    private void WriteLayerHeading(LayerPlan layer, string emittedAs)
    {
        string formula = layer.Activation == Activation.Softmax
            ? "then softmax"
            : $"a{layer.Number} = {ActivationCallDescription(layer.Activation, "z" + layer.Number)}";
        _writer.WriteLine(
            $"// Layer {layer.Number}: Dense({layer.Size}, {layer.Activation}), {emittedAs}. " +
            $"z{layer.Number} = W{layer.Number}·{PreviousName(layer)} + b{layer.Number}, {formula}");
    }

    private static string ActivationCallDescription(Activation activation, string z) => activation switch
    {
        Activation.Identity => z,
        Activation.Sigmoid => $"σ({z})",
        Activation.Tanh => $"tanh({z})",
        Activation.ReLU => $"max(0, {z})",
        _ => $"LeakyReLU({z}), slope 0.01 below 0",
    };

    private void WriteUnrolledLayerForward(LayerPlan layer, bool separateLogits, bool keepLogits)
    {
        int n = layer.InputCount;
        for (int j = 0; j < layer.Size; j++)
        {
            IReadOnlyList<string> terms = Terms(n, i => $"w{layer.Number}[{Index((j * n) + i)}] * {PreviousAt(layer, Index(i))}");
            string bias = $"b{layer.Number}[{Index(j)}]";
            if (separateLogits)
            {
                WriteSum(Z(layer, Index(j)), DeclarationOf(layer), bias, terms);
            }
            else
            {
                System.Func<string, string>? activation = layer.Activation == Activation.Identity
                    ? null
                    : z => ActivationCall(layer.Activation, z);
                WriteSum(A(layer, Index(j)), DeclarationOf(layer), bias, terms, activation);
            }
        }

        if (!separateLogits)
        {
            return;
        }

        if (layer.Activation != Activation.Softmax)
        {
            for (int k = 0; k < layer.Size; k++)
            {
                _writer.WriteLine($"{DeclarationOf(layer)}{A(layer, Index(k))} = {ActivationCall(layer.Activation, Z(layer, Index(k)))};");
            }

            return;
        }

        string max = $"max{layer.Number}";
        string sum = $"sum{layer.Number}";
        _writer.WriteLine($"// softmax: {Formulas.DescribeActivation(Activation.Softmax)}");
        _writer.WriteLine($"{_t} {max} = {Z(layer, "0")};");
        for (int k = 1; k < layer.Size; k++)
        {
            _writer.WriteLine($"{max} = {NetworkMath}.Max({max}, {Z(layer, Index(k))});");
        }

        for (int k = 0; k < layer.Size; k++)
        {
            _writer.WriteLine($"{DeclarationOf(layer)}{A(layer, Index(k))} = {NetworkMath}.Exp({Z(layer, Index(k))} - {max});");
        }

        WriteSum(sum, _t + " ", null, Terms(layer.Size, k => A(layer, Index(k))));
        for (int k = 0; k < layer.Size; k++)
        {
            _writer.WriteLine($"{A(layer, Index(k))} /= {sum};");
        }

        if (keepLogits && _plan.Loss == Loss.CrossEntropy)
        {
            _writer.WriteLine($"{_t} logSumExp = {max} + {NetworkMath}.Log({sum});");
        }
    }

    private void WriteVectorizedLayerForward(LayerPlan layer, bool separateLogits)
    {
        string target = separateLogits ? $"z{layer.Number}" : $"a{layer.Number}";
        _writer.WriteLine($"{DenseKernels}.Forward<{_t}>(w{layer.Number}, b{layer.Number}, {PreviousSpan(layer)}, {target});");
        WriteSpanActivation(layer, separateLogits);
    }

    /// <summary>a⁽ˡ⁾ = g(z⁽ˡ⁾) over a span layer whose z is in <c>z{l}</c> (separate logits) or already in <c>a{l}</c>.</summary>
    private void WriteSpanActivation(LayerPlan layer, bool separateLogits)
    {
        string a = $"a{layer.Number}";
        string target = separateLogits ? $"z{layer.Number}" : a;
        switch (layer.Activation)
        {
            case Activation.Identity:
                break;
            case Activation.Softmax:
                string result = separateLogits && _plan.Loss == Loss.CrossEntropy ? $"{_t} logSumExp = " : "";
                _writer.WriteLine($"// softmax: {Formulas.DescribeActivation(Activation.Softmax)}");
                _writer.WriteLine($"{result}{NetworkMath}.Softmax<{_t}>({target}, {a});");
                break;
            default:
                _writer.WriteLine($"{NetworkMath}.{layer.Activation}<{_t}>({target}, {a});");
                break;
        }
    }
}
