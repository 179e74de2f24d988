using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    /// <summary>Declares <c>loss</c>: L(y, t) of the declared loss, from the logits for the cross-entropies.</summary>
    private void WriteLoss()
    {
        LayerPlan output = _plan.OutputLayer;
        _writer.WriteLine($"// Loss: {Formulas.DescribeLoss(_plan.Loss)}");
        if (output.Storage == VectorStorage.Locals)
        {
            WriteUnrolledLoss(output);
        }
        else
        {
            WriteSpanLoss(output);
        }

        switch (_plan.Loss)
        {
            case Loss.HalfSumSquaredError:
                _writer.WriteLine($"loss *= {Literal("0.5")};");
                break;
            case Loss.MeanSquaredError:
                _writer.WriteLine($"loss /= {GeneratedMembers.OutputCount};");
                break;
        }
    }

    private void WriteUnrolledLoss(LayerPlan output)
    {
        int n = output.Size;
        switch (_plan.Loss)
        {
            case Loss.CrossEntropy:
                WriteSum("loss", _t + " ", null, Terms(n, k => $"target[{Index(k)}] * (logSumExp - {Z(output, Index(k))})"));
                break;
            case Loss.BinaryCrossEntropy:
                WriteSum("loss", _t + " ", null, Terms(n, k => $"{NetworkMath}.Softplus({Z(output, Index(k))}) - target[{Index(k)}] * {Z(output, Index(k))}"));
                break;
            default:
                for (int k = 0; k < n; k++)
                {
                    _writer.WriteLine($"{_t} error{Index(k)} = target[{Index(k)}] - {A(output, Index(k))};");
                }

                WriteSum("loss", _t + " ", null, Terms(n, k => $"error{Index(k)} * error{Index(k)}"));
                break;
        }
    }

    private void WriteSpanLoss(LayerPlan output)
    {
        string a = $"a{output.Number}";
        string z = $"z{output.Number}";
        _writer.WriteLine($"{_t} loss = {Literal("0")};");
        using (_writer.WriteBlock($"for (int k = 0; k < {Index(output.Size)}; k++)"))
        {
            switch (_plan.Loss)
            {
                case Loss.CrossEntropy:
                    _writer.WriteLine($"loss += target[k] * (logSumExp - {z}[k]);");
                    break;
                case Loss.BinaryCrossEntropy:
                    _writer.WriteLine($"loss += {NetworkMath}.Softplus({z}[k]) - target[k] * {z}[k];");
                    break;
                default:
                    _writer.WriteLine($"{_t} error = target[k] - {a}[k];");
                    _writer.WriteLine("loss += error * error;");
                    break;
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
            case OutputDelta.SoftmaxSquaredError:
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
            default:
                for (int k = 0; k < n; k++)
                {
                    string? derivative = DerivativeFactor(output.Activation, A(output, Index(k)));
                    string gradient = LossGradient($"error{Index(k)}");
                    _writer.WriteLine($"{_t} {Delta(output, Index(k))} = {(derivative is null ? gradient : $"{gradient} * {derivative}")};");
                }

                break;
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
                if (output.Size <= TermsPerStatement)
                {
                    // A few targets: one expression costs less than the library call (measured, 4 targets).
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
            case OutputDelta.SoftmaxSquaredError:
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
            default:
                string? derivative = DerivativeFactor(output.Activation, $"{a}[k]");
                string gradient = LossGradient("error");
                using (_writer.WriteBlock($"for (int k = 0; k < {size}; k++)"))
                {
                    _writer.WriteLine($"{_t} error = target[k] - {a}[k];");
                    _writer.WriteLine($"{delta}[k] = {(derivative is null ? gradient : $"{gradient} * {derivative}")};");
                }

                break;
        }
    }
}
