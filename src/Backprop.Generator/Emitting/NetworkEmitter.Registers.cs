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
/// row once for both Wᵀδ and the step. The output layer's
/// z, a and δ go through a small buffer, so its activation, loss and δ are the same code as the kernel form.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string RegisterKernels = ExpressionSyntax.CompilerServices + "RegisterKernels";

    /// <summary>The entry check: the register form runs when its widest vector is accelerated.</summary>
    private string RegisterCondition => $"{VectorClass(_plan.RegisterWidthBits)}.IsHardwareAccelerated";

    private void WriteForwardInRegisters()
    {
        _writer.WriteLine($"/// <summary>{GeneratedMembers.Forward} with every vector in SIMD registers; needs {_plan.RegisterWidthBits}-bit vectors.</summary>");
        using (_writer.WriteBlock($"private void {GeneratedMembers.ForwardInRegisters}({ReadOnlySpan} input, {Span} output)"))
        {
            WriteRegisterPrologue(GeneratedMethod.ForwardInRegisters, () => WriteRegisterForwardPass(GeneratedMethod.ForwardInRegisters));
        }
    }

    private void WriteTrainStepInRegisters()
    {
        _writer.WriteLine($"/// <summary>{GeneratedMembers.TrainStep} with every vector in SIMD registers; needs {_plan.RegisterWidthBits}-bit vectors.</summary>");
        using (_writer.WriteBlock($"private {_t} {GeneratedMembers.TrainStepInRegisters}({ReadOnlySpan} input, {ReadOnlySpan} target, {_t} learningRate)"))
        {
            WriteRegisterPrologue(GeneratedMethod.TrainStepInRegisters, () =>
            {
                WriteRegisterForwardPass(GeneratedMethod.TrainStepInRegisters);
                _writer.WriteBlankLine();
                WriteLoss();
                _writer.WriteBlankLine();
                WriteOutputDelta();
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

    /// <summary>
    /// The parameters as a reference and a span, the offsets of every layer's W and b in them as named constants,
    /// the buffers that are not registers, and x as a vector.
    /// </summary>
    private void WriteRegisterPrologue(GeneratedMethod kind, System.Action writeBody)
    {
        LayerPlan output = _plan.OutputLayer;
        string parameterSpan = kind == GeneratedMethod.TrainStepInRegisters ? Span : ReadOnlySpan;
        _writer.WriteLine($"{parameterSpan} parameters = {GeneratedMembers.ParametersField}.Span;");
        _writer.WriteLine($"ref {_t} p = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(parameters);");
        _writer.WriteLine("// Where each layer's W (row-major) and b start in the parameters");
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteLine($"const int {RowsOf(layer)} = {Index(layer.WeightOffset)}, {BiasesOf(layer)} = {Index(layer.BiasOffset)};");
        }

        _writer.WriteLine($"{parameterSpan} b{output.Number} = parameters.Slice({BiasesOf(output)}, {Index(output.Size)});");
        if (kind == GeneratedMethod.ForwardInRegisters)
        {
            _writer.WriteLine($"{Span} a{output.Number} = output;");
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
                WriteRegisterOutputForward(layer, _plan.KeepsPreActivation(layer, kind));
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
                _writer.WriteLine($"{target} += {RegisterKernels}.Join(");
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

    /// <summary>z⁽ᴸ⁾ into the output buffer, a block of rows at a time and the rows left over one by one, then g.</summary>
    private void WriteRegisterOutputForward(LayerPlan layer, bool keepsZ)
    {
        string target = keepsZ ? $"z{layer.Number}" : $"a{layer.Number}";
        string input = PreviousName(layer);
        int rowsPerBlock = BlockLanes;
        int fullBlocks = layer.Size / rowsPerBlock;
        for (int block = 0; block < fullBlocks; block++)
        {
            int row = block * rowsPerBlock;
            string biases = row == 0 ? BiasesOf(layer) : $"{BiasesOf(layer)} + {Index(row)}";
            _writer.WriteLine($"{RegisterKernels}.StoreDotBlock(ref p, {RowOffset(layer, row)}, {biases}, {input}, {target}, {Index(row)});");
        }

        for (int row = fullBlocks * rowsPerBlock; row < layer.Size; row++)
        {
            _writer.WriteLine($"{target}[{Index(row)}] = b{layer.Number}[{Index(row)}] + {RegisterKernels}.Dot(ref p, {RowOffset(layer, row)}, {input});");
        }

        WriteSpanActivation(layer, keepsZ);
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

        if (isOutput)
        {
            using (_writer.WriteBlock($"for (int k = 0; k < {Index(layer.Size)}; k++)"))
            {
                _writer.WriteLine($"b{layer.Number}[k] -= learningRate * delta{layer.Number}[k];");
            }

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

    private static string VectorClass(long bits) => $"{ExpressionSyntax.VectorsAlias}::Vector{bits.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The vector type that holds exactly <paramref name="elements"/> of the network's type.</summary>
    private string VectorType(int elements) => $"{VectorClass(BitsOf(elements))}<{_t}>";
}
