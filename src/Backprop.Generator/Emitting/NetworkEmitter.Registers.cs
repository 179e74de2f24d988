using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

/// <summary>
/// The form of Forward and TrainStep that keeps every layer's vectors in SIMD registers, for networks whose
/// layers' inputs each fill one vector (<see cref="NetworkPlanner.RegisterWidthBits"/>). Each row of W is one
/// vector: z is a block of dot products per four rows (two for double), z (where the derivative reads it), a and δ
/// of a hidden layer are vector locals, the activation its operator's vector form, and the backward pass reads each
/// row once for both Wᵀδ and the step. The output layer's z, y and δ are vectors too, its lanes past the outputs
/// padding (never read from W, masked to 0 where the loss reads them); its softmax is <c>RegisterSoftmax</c>, and the
/// loss and δ are the definitions' terms as vector expressions where they have one, lane by lane where not.
/// A network whose widest vector is 512 bits gets Forward's form twice: with <c>Vector512</c> for AVX-512, and with
/// each 512-bit vector a <c>Vector256Pair</c> of two 256-bit registers for AVX2, which only emulates <c>Vector512</c>,
/// through memory (<see cref="NetworkPlan.RunsInRegisterPairs"/> says why TrainStep's is not). The two are the same
/// code but for the names this file's <see cref="VectorClass"/>, <see cref="PartialLoad"/> and
/// <see cref="JoinBlocks"/> give their vectors.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string RegisterKernels = ExpressionSyntax.CompilerServices + "RegisterKernels";

    private const string RegisterSoftmax = ExpressionSyntax.CompilerServices + "RegisterSoftmax";

    /// <summary>Set while the pair form is written: 512-bit vectors are then <c>Vector256Pair</c>s.</summary>
    private bool _inRegisterPairs;

    /// <summary>
    /// The register forms Forward (<paramref name="training"/> false) or TrainStep calls, each with the check that its
    /// vectors are accelerated, widest first: <c>Vector512</c>, then for Forward the pairs of <c>Vector256</c>.
    /// </summary>
    private IEnumerable<(string Condition, string Method)> RegisterForms(bool training)
    {
        yield return ($"{ExpressionSyntax.VectorsAlias}::Vector{Index(_plan.RegisterWidthBits)}.IsHardwareAccelerated",
            training ? GeneratedMembers.TrainStepInRegisters : GeneratedMembers.ForwardInRegisters);
        if (_plan.RunsInRegisterPairs && !training)
        {
            yield return ($"{ExpressionSyntax.VectorsAlias}::Vector256.IsHardwareAccelerated", GeneratedMembers.ForwardInRegisterPairs);
        }
    }

    /// <summary>ForwardInRegisters, or with <paramref name="pairs"/> ForwardInRegisterPairs.</summary>
    private void WriteForwardInRegisters(bool pairs)
    {
        _inRegisterPairs = pairs;
        GeneratedMethod kind = pairs ? GeneratedMethod.ForwardInRegisterPairs : GeneratedMethod.ForwardInRegisters;
        string name = pairs ? GeneratedMembers.ForwardInRegisterPairs : GeneratedMembers.ForwardInRegisters;
        _writer.WriteLine($"/// <summary>{GeneratedMembers.Forward} with every vector in SIMD registers; {RegisterNeeds}.</summary>");
        using (_writer.WriteBlock($"private void {name}({ReadOnlySpan} input, {Span} output)"))
        {
            WriteRegisterPrologue(kind, () => WriteRegisterForwardPass(kind));
        }

        _inRegisterPairs = false;
    }

    private void WriteTrainStepInRegisters()
    {
        const GeneratedMethod kind = GeneratedMethod.TrainStepInRegisters;
        _writer.WriteLine($"/// <summary>{GeneratedMembers.TrainStep} with every vector in SIMD registers; {RegisterNeeds}.</summary>");
        using (_writer.WriteBlock($"private {_t} {GeneratedMembers.TrainStepInRegisters}({ReadOnlySpan} input, {ReadOnlySpan} target, {_t} learningRate)"))
        {
            WriteRegisterPrologue(kind, () =>
            {
                WriteRegisterForwardPass(kind);
                _writer.WriteBlankLine();
                WriteRegisterLoss();
                _writer.WriteBlankLine();
                WriteRegisterOutputDelta();
                for (int l = Layers.Count; l >= 1; l--)
                {
                    _writer.WriteBlankLine();
                    WriteRegisterBackward(Layers[l - 1]);
                }

                _writer.WriteBlankLine();
                _writer.WriteLine("return loss;");
            });
        }
    }

    /// <summary>What the form being written needs: its vector width, and for the pairs how 512-bit vectors are held.</summary>
    private string RegisterNeeds => _inRegisterPairs
        ? "needs 256-bit vectors, and holds each 512-bit one as a pair of them"
        : $"needs {Index(_plan.RegisterWidthBits)}-bit vectors";

    /// <summary>
    /// The parameters as a reference and a span, the offsets of every layer's W and b in them as named constants,
    /// the buffers that are not registers, and x as a vector.
    /// </summary>
    private void WriteRegisterPrologue(GeneratedMethod kind, System.Action writeBody)
    {
        string parameterSpan = kind.Backpropagates() ? Span : ReadOnlySpan;
        _writer.WriteLine($"{parameterSpan} parameters = {GeneratedMembers.ParametersField}.Span;");
        _writer.WriteLine($"ref {_t} p = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(parameters);");
        _writer.WriteLine("// Where each layer's W (row-major) and b start in the parameters");
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteLine($"const int {RowsOf(layer)} = {Index(layer.WeightOffset)}, {BiasesOf(layer)} = {Index(layer.BiasOffset)};");
        }

        WriteScratch(_plan.Method(kind), () =>
        {
            _writer.WriteLine($"{VectorType(_plan.InputCount)} x = {VectorClass(BitsOf(_plan.InputCount))}.Create(input);");
            writeBody();
        });
    }

    /// <summary>The name of the constant holding where W⁽ˡ⁾ starts: <c>W2</c>.</summary>
    private static string RowsOf(LayerPlan layer) => $"W{layer.Number}";

    /// <summary>The name of the constant holding where b⁽ˡ⁾ starts: <c>B2</c>.</summary>
    private static string BiasesOf(LayerPlan layer) => $"B{layer.Number}";

    /// <summary>Where row <paramref name="row"/> of W⁽ˡ⁾ starts: <c>W2</c>, <c>W2 + 16</c>.</summary>
    private static string RowOffset(LayerPlan layer, int row)
        => row == 0 ? RowsOf(layer) : $"{RowsOf(layer)} + {Index(row * layer.InputCount)}";

    private void WriteRegisterForwardPass(GeneratedMethod kind)
    {
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteBlankLine();
            bool isOutput = layer.Number == _plan.OutputLayer.Number;
            WriteLayerHeading(layer, "in registers");
            if (isOutput)
            {
                WriteRegisterOutputForward(layer, kind);
            }
            else
            {
                WriteRegisterHiddenForward(layer);
            }
        }
    }

    /// <summary>
    /// z⁽ˡ⁾ as one vector, b plus the blocks of dot products joined (or one transpose-and-add tree for a square
    /// 512-bit layer), then a⁽ˡ⁾ through the activation's vector form. The identity names its sum a directly.
    /// </summary>
    private void WriteRegisterHiddenForward(LayerPlan layer)
    {
        string input = PreviousName(layer);
        bool activates = layer.Definition.RuntimeOperator is not null;
        string target = activates ? $"z{layer.Number}" : $"a{layer.Number}";
        string bias = $"{VectorClass(BitsOf(layer.Size))}.LoadUnsafe(ref p, {BiasesOf(layer)})";
        string vector = VectorType(layer.Size);
        if (layer.DotProducts == DotProducts.TransposeTree)
        {
            _writer.WriteLine($"{vector} {target} = {bias} + {RegisterKernels}.DotRows(ref p, {RowsOf(layer)}, {input});");
        }
        else
        {
            int rowsPerBlock = BlockLanes;
            string[] blocks = Enumerable.Range(0, layer.Size / rowsPerBlock)
                .Select(block => $"{RegisterKernels}.DotBlock(ref p, {RowOffset(layer, block * rowsPerBlock)}, {input})")
                .ToArray();
            if (blocks.Length == 1)
            {
                _writer.WriteLine($"{vector} {target} = {bias} + {blocks[0]};");
            }
            else
            {
                _writer.WriteLine($"{vector} {target} = {bias};");
                _writer.WriteLine($"{target} += {RegisterKernels}.{JoinBlocks(blocks.Length)}(");
                for (int i = 0; i < blocks.Length; i++)
                {
                    _writer.WriteLine($"    {blocks[i]}{(i == blocks.Length - 1 ? ");" : ",")}");
                }
            }
        }

        if (activates)
        {
            _writer.WriteLine($"{vector} a{layer.Number} = {VectorActivation(layer)}({target});");
        }
    }

    /// <summary>The vector form of a layer's activation: <c>Activations.Apply&lt;float, ReLUOperator&lt;float&gt;&gt;</c>.</summary>
    private string VectorActivation(LayerPlan layer) => $"{Activations}.Apply<{_t}, {Operator(layer.Definition)}>";

    /// <summary>
    /// z⁽ᴸ⁾ as one vector, b plus the blocks of dot products joined (the last block's rows past the outputs, and
    /// the blocks past them, 0), then y through the softmax or the activation's vector form; Forward writes the
    /// outputs' lanes to <c>output</c> and nothing past it.
    /// </summary>
    private void WriteRegisterOutputForward(LayerPlan layer, GeneratedMethod kind)
    {
        string input = PreviousName(layer);
        ActivationDefinition activation = layer.Definition;
        bool activates = activation.RuntimeOperator is not null || !activation.IsElementWise;
        string z = activates ? $"z{layer.Number}" : $"a{layer.Number}";
        int lanes = OutputLanes;
        int size = layer.Size;
        string vector = VectorType(lanes);
        string partial = size < lanes ? $", {Index(size)}" : "";
        string bias = size < lanes
            ? $"{RegisterKernels}.{PartialLoad(lanes)}(ref p, {BiasesOf(layer)}, {Index(size)})"
            : $"{VectorClass(BitsOf(lanes))}.LoadUnsafe(ref p, {BiasesOf(layer)})";
        int rowsPerBlock = BlockLanes;
        var blocks = new List<string>();
        for (int row = 0; row < lanes; row += rowsPerBlock)
        {
            int rows = System.Math.Min(rowsPerBlock, size - row);
            blocks.Add(rows <= 0 ? $"{VectorClass(128)}<{_t}>.Zero"
                : rows < rowsPerBlock ? $"{RegisterKernels}.DotBlock(ref p, {RowOffset(layer, row)}, {input}, {Index(rows)})"
                : $"{RegisterKernels}.DotBlock(ref p, {RowOffset(layer, row)}, {input})");
        }

        if (size < lanes)
        {
            _writer.WriteLine($"// z{layer.Number} in the first {Index(size)} of {Index(lanes)} lanes; the rest are 0 (no row is read for them)");
        }

        if (blocks.Count == 1)
        {
            _writer.WriteLine($"{vector} {z} = {bias} + {blocks[0]};");
        }
        else
        {
            _writer.WriteLine($"{vector} {z} = {bias};");
            _writer.WriteLine($"{z} += {RegisterKernels}.{JoinBlocks(blocks.Count)}(");
            for (int i = 0; i < blocks.Count; i++)
            {
                _writer.WriteLine($"    {blocks[i]}{(i == blocks.Count - 1 ? ");" : ",")}");
            }
        }

        string y = $"a{layer.Number}";
        bool training = kind.Backpropagates();
        if (!activation.IsElementWise)
        {
            _writer.WriteLine($"// softmax: {activation.Formula}; the largest and the sum by shuffles, one vector exponential");
            if (training && _plan.LossDefinition.ReadsLogSumExp)
            {
                _writer.WriteLine($"{vector} {y} = {RegisterSoftmax}.Compute({z}, {Index(size)}, out {_t} logSumExpOfZ);");
            }
            else
            {
                _writer.WriteLine($"{vector} {y} = {RegisterSoftmax}.Compute({z}, {Index(size)});");
            }
        }
        else if (activation.RuntimeOperator is not null)
        {
            // TrainStep's loss and δ read every lane: the padding lanes' g(0) is set back to 0.
            string apply = $"{VectorActivation(layer)}({z})";
            _writer.WriteLine(training && size < lanes
                ? $"{vector} {y} = {RegisterKernels}.FirstLanes({apply}{partial});"
                : $"{vector} {y} = {apply};");
        }

        if (!training)
        {
            _writer.WriteLine($"{RegisterKernels}.Store({y}, output, {Index(size)});");
        }
    }

    /// <summary>Lanes of the vector that holds the output layer: 4, 8 or 16 float, 2, 4 or 8 double.</summary>
    private int OutputLanes
        => (int)(NetworkPlanner.RegisterOutputBits(_plan.OutputLayer.Size, _plan.Precision) / (_plan.Precision == Precision.Double ? 64 : 32));

    /// <summary>Whether TrainStep's loss or δ reads the targets as a vector, t.</summary>
    private bool RegisterReadsTargetVector
    {
        get
        {
            LossDefinition loss = _plan.LossDefinition;
            string term = loss.Reads == LossInput.Logits ? loss.Term(_syntax, "z", "t") : loss.Term(_syntax, "error", "t");
            return IsVectorExpression(term)
                || loss.Gradient is null
                || IsVectorExpression(loss.Gradient(_syntax, "error"));
        }
    }

    /// <summary>What the register form computes lane by lane rather than as one vector expression, or null.</summary>
    private string? RegisterLaneByLane()
    {
        LossDefinition loss = _plan.LossDefinition;
        bool term = !IsVectorExpression(loss.Term(_syntax, "error", "t"));
        bool gradient = loss.Gradient?.Invoke(_syntax, "error") is { } g && !IsVectorExpression(g);
        return term && gradient ? "the loss's terms and ∂L/∂y are"
            : term ? "the loss's terms are"
            : gradient ? "∂L/∂y is"
            : null;
    }

    /// <summary>Whether a loss's term or ∂L/∂y is an expression of operators alone, so that it reads vectors as well.</summary>
    private static bool IsVectorExpression(string expression) => !expression.Contains(ExpressionSyntax.CompilerServices);

    /// <summary>
    /// L in registers: the terms as one vector expression summed across its lanes when the loss's term is one (the
    /// lanes past the outputs masked to 0), otherwise the term lane by lane.
    /// </summary>
    private void WriteRegisterLoss()
    {
        LayerPlan output = _plan.OutputLayer;
        LossDefinition loss = _plan.LossDefinition;
        int size = output.Size;
        int lanes = OutputLanes;
        string vector = VectorType(lanes);
        string vectorClass = VectorClass(BitsOf(lanes));
        string z = $"z{output.Number}";
        string a = $"a{output.Number}";
        _writer.WriteLine($"// Loss: {loss.Formula}");
        string partial = size < lanes ? $", {Index(size)}" : "";
        string vectorTerm = loss.Reads == LossInput.Logits ? loss.Term(_syntax, z, "t") : loss.Term(_syntax, "error", "t");
        if (RegisterReadsTargetVector)
        {
            _writer.WriteLine(size < lanes
                ? $"{vector} t = {RegisterKernels}.{PartialLoad(lanes)}(target, {Index(size)});"
                : $"{vector} t = {vectorClass}.Create(target);");
        }

        if (IsVectorExpression(vectorTerm))
        {
            if (loss.ReadsLogSumExp)
            {
                _writer.WriteLine($"{vector} logSumExp = {vectorClass}.Create(logSumExpOfZ);");
            }

            if (loss.Reads == LossInput.Outputs)
            {
                _writer.WriteLine($"{vector} error = t - {a};");
            }

            string terms = size < lanes ? $"{RegisterKernels}.FirstLanes({vectorTerm}{partial})" : vectorTerm;
            _writer.WriteLine($"{_t} loss = {vectorClass}.Sum({terms});");
        }
        else
        {
            _writer.WriteLine("// (its term has no vector form: lane by lane)");
            if (loss.ReadsLogSumExp)
            {
                _writer.WriteLine($"{_t} logSumExp = logSumExpOfZ;");
            }

            WriteSum("loss", _t + " ", null, Terms(size, k => loss.Reads == LossInput.Logits
                ? loss.Term(_syntax, $"{z}[{Index(k)}]", $"target[{Index(k)}]")
                : loss.Term(_syntax, $"(target[{Index(k)}] - {a}[{Index(k)}])", $"target[{Index(k)}]")));
        }

        if (loss.Normalization(_syntax) is { } normalization)
        {
            _writer.WriteLine(normalization);
        }
    }

    /// <summary>
    /// δ⁽ᴸ⁾ in registers, fused for the pair, as one vector expression where ∂L/∂y is one; lane by lane otherwise.
    /// The lanes past the outputs are never read.
    /// </summary>
    private void WriteRegisterOutputDelta()
    {
        LayerPlan output = _plan.OutputLayer;
        int size = output.Size;
        int lanes = OutputLanes;
        string vector = VectorType(lanes);
        string vectorClass = VectorClass(BitsOf(lanes));
        string a = $"a{output.Number}";
        string delta = $"delta{output.Number}";
        _writer.WriteLine($"// Output δ{output.Number}: {Formulas.DescribeOutputDelta(_plan)}");
        LossDefinition loss = _plan.LossDefinition;
        string? vectorGradient = loss.Gradient?.Invoke(_syntax, "error");
        bool vectorised = vectorGradient is null || IsVectorExpression(vectorGradient);
        if (!vectorised)
        {
            _writer.WriteLine("// (∂L/∂y has no vector form: lane by lane)");
        }

        switch (_plan.OutputDelta)
        {
            case OutputDelta.SoftmaxCrossEntropy:
                _writer.WriteLine($"{vector} {delta} = {a} * {vectorClass}.Sum(t) - t;");
                break;
            case OutputDelta.SigmoidBinaryCrossEntropy:
                _writer.WriteLine($"{vector} {delta} = {a} - t;");
                break;
            case OutputDelta.SoftmaxJacobian when vectorised:
                if (loss.Reads != LossInput.Outputs || !IsVectorExpression(loss.Term(_syntax, "error", "t")))
                {
                    _writer.WriteLine($"{vector} error = t - {a};");
                }

                _writer.WriteLine($"{vector} dLdy = {vectorGradient};");
                _writer.WriteLine($"{vector} {delta} = {a} * (dLdy - {vectorClass}.Create({vectorClass}.Sum(dLdy * {a})));");
                break;
            case OutputDelta.ChainRule when vectorised:
                if (!IsVectorExpression(loss.Term(_syntax, "error", "t")))
                {
                    _writer.WriteLine($"{vector} error = t - {a};");
                }

                _writer.WriteLine(output.Definition.DerivativeReads == DerivativeInput.None
                    ? $"{vector} {delta} = {vectorGradient};"
                    : $"{vector} {delta} = {Activations}.MultiplyByDerivative<{_t}, {Operator(output.Definition)}>({DerivativeSource(output)}, {vectorGradient});");
                break;
            case OutputDelta.SoftmaxJacobian:
                for (int k = 0; k < size; k++)
                {
                    _writer.WriteLine($"{_t} dLdy{Index(k)} = {LossGradient($"(target[{Index(k)}] - {a}[{Index(k)}])")};");
                }

                WriteSum("dLdyDotY", _t + " ", null, Terms(size, k => $"dLdy{Index(k)} * {a}[{Index(k)}]"));
                WriteLaneVector(delta, vector, size, lanes, k => $"{a}[{Index(k)}] * (dLdy{Index(k)} - dLdyDotY)");
                break;
            case OutputDelta.ChainRule:
                WriteLaneVector(delta, vector, size, lanes, k =>
                {
                    string gradient = LossGradient($"(target[{Index(k)}] - {a}[{Index(k)}])");
                    string? derivative = DerivativeFactor(output, Index(k));
                    return derivative is null ? gradient : $"{gradient} * {derivative}";
                });
                break;
            default:
                throw new System.ArgumentOutOfRangeException(nameof(output), _plan.OutputDelta, "Unknown output δ.");
        }
    }

    /// <summary>A vector built lane by lane: each output's scalar, then 0 in the lanes past them.</summary>
    private void WriteLaneVector(string name, string vector, int size, int lanes, System.Func<int, string> lane)
    {
        for (int k = 0; k < size; k++)
        {
            _writer.WriteLine($"{_t} {name}_{Index(k)} = {lane(k)};");
        }

        string elements = string.Join(", ", Enumerable.Range(0, lanes).Select(k => k < size ? $"{name}_{Index(k)}" : Literal("0")));
        _writer.WriteLine($"{vector} {name} = {VectorClass(BitsOf(lanes))}.Create({elements});");
    }

    /// <summary>
    /// One layer's step, each row read once: with a layer below, Σⱼ δⱼ·W[j,:] in two partial sums (even and
    /// odd rows, to halve the chain of dependent multiply-adds) before the row changes; then b, then that
    /// layer's δ = g′ ⊙ the sum.
    /// </summary>
    private void WriteRegisterBackward(LayerPlan layer)
    {
        LayerPlan? previous = PreviousLayer(layer);
        bool isOutput = layer.Number == _plan.OutputLayer.Number;
        string input = PreviousName(layer);
        if (previous is not null)
        {
            _writer.WriteLine(DescribePropagation(layer, previous) + ", Σⱼ from W before the step changes it");
        }

        _writer.WriteLine(DescribeUpdate(layer, GeneratedMethod.TrainStepInRegisters));
        string even = previous is null ? "" : $"even{previous.Number}";
        string odd = previous is null ? "" : $"odd{previous.Number}";
        if (previous is not null)
        {
            _writer.WriteLine($"// Σⱼ δ{layer.Number}ⱼ·W{layer.Number}[j,:] in two partial sums, the even rows' and the odd rows'");
            _writer.WriteLine($"{VectorType(previous.Size)} {even} = {VectorType(previous.Size)}.Zero;");
            _writer.WriteLine($"{VectorType(previous.Size)} {odd} = {VectorType(previous.Size)}.Zero;");
        }

        for (int j = 0; j < layer.Size; j++)
        {
            string delta = $"delta{layer.Number}[{Index(j)}]";
            string offset = RowOffset(layer, j);
            _writer.WriteLine(previous is null
                ? $"{RegisterKernels}.Step(ref p, {offset}, {input}, {delta}, learningRate);"
                : $"{RegisterKernels}.PropagateAndStep(ref p, {offset}, {input}, {delta}, learningRate, ref {(j % 2 == 0 ? even : odd)});");
        }

        if (isOutput && layer.Size < OutputLanes)
        {
            _writer.WriteLine($"{RegisterKernels}.StepBiases(ref p, {BiasesOf(layer)}, delta{layer.Number}, learningRate, {Index(layer.Size)});");
            if (previous is not null)
            {
                _writer.WriteBlankLine();
            }
        }
        else if (isOutput)
        {
            _writer.WriteLine($"{RegisterKernels}.StepBiases(ref p, {BiasesOf(layer)}, delta{layer.Number}, learningRate);");
            if (previous is not null)
            {
                _writer.WriteBlankLine();
            }
        }
        else
        {
            _writer.WriteLine($"{RegisterKernels}.StepBiases(ref p, {BiasesOf(layer)}, delta{layer.Number}, learningRate);");
        }

        if (previous is not null)
        {
            string total = $"{even} + {odd}";
            if (previous.Definition.RuntimeOperator is null)
            {
                _writer.WriteLine($"{VectorType(previous.Size)} delta{previous.Number} = {total};");
            }
            else
            {
                _writer.WriteLine(
                    $"{VectorType(previous.Size)} delta{previous.Number} = {Activations}.MultiplyByDerivative<{_t}, {Operator(previous.Definition)}>" +
                    $"({DerivativeSource(previous)}, {total});");
            }
        }
    }

    /// <summary>Elements of the network's type in a 128-bit block: the rows one DotBlock call finishes.</summary>
    private int BlockLanes => _plan.Precision == Precision.Double ? 2 : 4;

    private long BitsOf(int elements) => (long)elements * (_plan.Precision == Precision.Double ? 64 : 32);

    /// <summary>The static class of a vector of <paramref name="bits"/>: <c>Vector256</c>, or in the pair form for 512 bits <c>Vector256Pair</c>.</summary>
    private string VectorClass(long bits) => _inRegisterPairs && bits == 512
        ? $"{ExpressionSyntax.RuntimeAlias}::Vector256Pair"
        : $"{ExpressionSyntax.VectorsAlias}::Vector{bits.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The RegisterKernels method that loads the first lanes of a vector of <paramref name="lanes"/>: <c>Load256</c>, <c>Load256Pair</c>.</summary>
    private string PartialLoad(int lanes) => _inRegisterPairs && BitsOf(lanes) == 512 ? "Load256Pair" : $"Load{BitsOf(lanes).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The RegisterKernels method that puts <paramref name="blocks"/> 128-bit blocks side by side: <c>Join</c>, or <c>JoinPair</c> for four in the pair form.</summary>
    private string JoinBlocks(int blocks) => _inRegisterPairs && blocks == 4 ? "JoinPair" : "Join";

    /// <summary>The vector type that holds exactly <paramref name="elements"/> of the network's type.</summary>
    private string VectorType(int elements) => $"{VectorClass(BitsOf(elements))}<{_t}>";
}
