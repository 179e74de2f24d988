using System;
using Backprop.Generator.Definitions;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    /// <summary>Declares <c>loss</c>: L(y, t) of the declared loss, from the outputs or from the logits as it reads.</summary>
    private void WriteLoss()
    {
        LayerPlan output = _plan.OutputLayer;
        LossDefinition loss = _plan.LossDefinition;
        _writer.WriteLine($"// Loss: {loss.Formula}");
        if (output.Storage == VectorStorage.Locals)
        {
            WriteUnrolledLoss(output, loss);
        }
        else
        {
            WriteSpanLoss(output, loss);
        }

        if (loss.Normalization(_syntax) is { } normalization)
        {
            _writer.WriteLine(normalization);
        }
    }

    private void WriteUnrolledLoss(LayerPlan output, LossDefinition loss)
    {
        int n = output.Size;
        if (loss.Reads == LossInput.Logits)
        {
            WriteSum("loss", _t + " ", null, Terms(n, k => loss.Term(_syntax, Z(output, Index(k)), $"target[{Index(k)}]")));
            return;
        }

        for (int k = 0; k < n; k++)
        {
            _writer.WriteLine($"{_t} error{Index(k)} = target[{Index(k)}] - {A(output, Index(k))};");
        }

        WriteSum("loss", _t + " ", null, Terms(n, k => loss.Term(_syntax, $"error{Index(k)}", $"target[{Index(k)}]")));
    }

    private void WriteSpanLoss(LayerPlan output, LossDefinition loss)
    {
        _writer.WriteLine($"{_t} loss = {Literal("0")};");
        using (_writer.WriteBlock($"for (int k = 0; k < {Index(output.Size)}; k++)"))
        {
            if (loss.Reads == LossInput.Logits)
            {
                _writer.WriteLine($"loss += {loss.Term(_syntax, $"z{output.Number}[k]", "target[k]")};");
            }
            else
            {
                _writer.WriteLine($"{_t} error = target[k] - a{output.Number}[k];");
                _writer.WriteLine($"loss += {loss.Term(_syntax, "error", "target[k]")};");
            }
        }
    }

    /// <summary>δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾, with the formula fused for the output activation · loss pair.</summary>
    private void WriteOutputDelta()
    {
        LayerPlan output = _plan.OutputLayer;
        _writer.WriteLine($"// Output δ{output.Number}: {Formulas.DescribeOutputDelta(_plan)}");
        if (output.Storage == VectorStorage.Locals)
        {
            WriteUnrolledOutputDelta(output);
        }
        else
        {
            WriteSpanOutputDelta(output);
        }
    }

    private void WriteUnrolledOutputDelta(LayerPlan output)
    {
        int n = output.Size;
        switch (_plan.OutputDelta)
        {
            case OutputDelta.SoftmaxCrossEntropy:
                WriteSum("targetSum", _t + " ", null, Terms(n, k => $"target[{Index(k)}]"));
                for (int k = 0; k < n; k++)
                {
                    _writer.WriteLine($"{_t} {Delta(output, Index(k))} = {A(output, Index(k))} * targetSum - target[{Index(k)}];");
                }

                break;
            case OutputDelta.SigmoidBinaryCrossEntropy:
                for (int k = 0; k < n; k++)
                {
                    _writer.WriteLine($"{_t} {Delta(output, Index(k))} = {A(output, Index(k))} - target[{Index(k)}];");
                }

                break;
            case OutputDelta.SoftmaxJacobian:
                for (int k = 0; k < n; k++)
                {
                    _writer.WriteLine($"{_t} dLdy{Index(k)} = {LossGradient($"error{Index(k)}")};");
                }

                WriteSum("dLdyDotY", _t + " ", null, Terms(n, k => $"dLdy{Index(k)} * {A(output, Index(k))}"));
                for (int k = 0; k < n; k++)
                {
                    _writer.WriteLine($"{_t} {Delta(output, Index(k))} = {A(output, Index(k))} * (dLdy{Index(k)} - dLdyDotY);");
                }

                break;
            case OutputDelta.ChainRule:
                for (int k = 0; k < n; k++)
                {
                    string? derivative = DerivativeFactor(output, Index(k));
                    string gradient = LossGradient($"error{Index(k)}");
                    _writer.WriteLine($"{_t} {Delta(output, Index(k))} = {(derivative is null ? gradient : $"{gradient} * {derivative}")};");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(output), _plan.OutputDelta, "Unknown output δ.");
        }
    }

    private void WriteSpanOutputDelta(LayerPlan output)
    {
        string a = $"a{output.Number}";
        string delta = $"delta{output.Number}";
        string size = Index(output.Size);
        switch (_plan.OutputDelta)
        {
            case OutputDelta.SoftmaxCrossEntropy:
                if (_plan.SumsTargetsInline)
                {
                    WriteSum("targetSum", _t + " ", null, Terms(output.Size, k => $"target[{Index(k)}]"));
                }
                else
                {
                    _writer.WriteLine($"{_t} targetSum = {TensorPrimitives}.Sum<{_t}>(target);");
                }

                using (_writer.WriteBlock($"for (int k = 0; k < {size}; k++)"))
                {
                    _writer.WriteLine($"{delta}[k] = {a}[k] * targetSum - target[k];");
                }

                break;
            case OutputDelta.SigmoidBinaryCrossEntropy:
                using (_writer.WriteBlock($"for (int k = 0; k < {size}; k++)"))
                {
                    _writer.WriteLine($"{delta}[k] = {a}[k] - target[k];");
                }

                break;
            case OutputDelta.SoftmaxJacobian:
                string dLdy = LossGradient($"(target[k] - {a}[k])");
                _writer.WriteLine($"{_t} dLdyDotY = {Literal("0")};");
                using (_writer.WriteBlock($"for (int k = 0; k < {size}; k++)"))
                {
                    _writer.WriteLine($"dLdyDotY += {dLdy} * {a}[k];");
                }

                using (_writer.WriteBlock($"for (int k = 0; k < {size}; k++)"))
                {
                    _writer.WriteLine($"{delta}[k] = {a}[k] * ({dLdy} - dLdyDotY);");
                }

                break;
            case OutputDelta.ChainRule:
                string? derivative = DerivativeFactor(output, "k");
                string gradient = LossGradient("error");
                using (_writer.WriteBlock($"for (int k = 0; k < {size}; k++)"))
                {
                    _writer.WriteLine($"{_t} error = target[k] - {a}[k];");
                    _writer.WriteLine($"{delta}[k] = {(derivative is null ? gradient : $"{gradient} * {derivative}")};");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(output), _plan.OutputDelta, "Unknown output δ.");
        }
    }
}
