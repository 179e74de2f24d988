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


    /// <summary>The parameters as a reference and a span, the buffers that are not registers, and x as a vector.</summary>
    private void WriteRegisterPrologue(GeneratedMethod kind, System.Action writeBody)
    {
        LayerPlan output = _plan.OutputLayer;
        string parameterSpan = kind == GeneratedMethod.TrainStepInRegisters ? Span : ReadOnlySpan;
        _writer.WriteLine($"{parameterSpan} parameters = {GeneratedMembers.ParametersField}.Span;");
        _writer.WriteLine($"ref {_t} p = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(parameters);");
        _writer.WriteLine($"{parameterSpan} b{output.Number} = parameters.Slice({Index(output.BiasOffset)}, {Index(output.Size)});");
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
                WriteRegisterHiddenForward(layer, _plan.KeepsPreActivation(layer, kind));
            }
        }
    }

    /// <summary>
    /// a⁽ˡ⁾ as one vector: the blocks of dot products joined, plus b, through the activation's vector form; z⁽ˡ⁾ as
    /// its own vector first when the backward pass reads it.
    /// </summary>
    private void WriteRegisterHiddenForward(LayerPlan layer, bool keepsZ)
    {
        string input = PreviousName(layer);
        string bias = $"{VectorClass(BitsOf(layer.Size))}.LoadUnsafe(ref p, {Index(layer.BiasOffset)})";
        string a = $"a{layer.Number}";
        string target = keepsZ ? $"z{layer.Number}" : a;
        bool activates = layer.Definition.RuntimeOperator is not null;
        string activation = activates && !keepsZ ? VectorActivation(layer) : "";
        string declaration = $"{VectorType(layer.Size)} {target} = {activation}({bias} + ";
        if (layer.Size == layer.InputCount && BitsOf(layer.Size) == 512)
        {
            // A square 512-bit layer: one transpose-and-add tree over all its rows.
            _writer.WriteLine($"{declaration}{RegisterKernels}.DotRows(ref p, {Index(layer.WeightOffset)}, {input}));");
        }
        else
        {
            int rowsPerBlock = BlockLanes;
            string[] blocks = Enumerable.Range(0, layer.Size / rowsPerBlock)
                .Select(block => $"{RegisterKernels}.DotBlock(ref p, {Index(layer.WeightOffset + (block * rowsPerBlock * layer.InputCount))}, {input})")
                .ToArray();
            if (blocks.Length == 1)
            {
                _writer.WriteLine($"{declaration}{blocks[0]});");
            }
            else
            {
                _writer.WriteLine($"{declaration}{RegisterKernels}.Join(");
                for (int i = 0; i < blocks.Length; i++)
                {
                    _writer.WriteLine($"    {blocks[i]}{(i == blocks.Length - 1 ? "));" : ",")}");
                }
            }
        }

        if (keepsZ)
        {
            _writer.WriteLine($"{VectorType(layer.Size)} {a} = {(activates ? $"{VectorActivation(layer)}({target})" : target)};");
        }
    }

    /// <summary>The vector form of a layer's activation: <c>Activations.Apply&lt;float, ReLUOperator&lt;float&gt;&gt;</c>.</summary>
    private string VectorActivation(LayerPlan layer) => $"{Activations}.Apply<{_t}, {Operator(layer.Definition)}>";

    /// <summary>z⁽ᴸ⁾ into the output buffer, a block of rows at a time and the rows left over one by one, then g.</summary>
    private void WriteRegisterOutputForward(LayerPlan layer, bool keepsZ)
    {
        string target = keepsZ ? $"z{layer.Number}" : $"a{layer.Number}";
        string input = PreviousName(layer);
        string b = $"b{layer.Number}";
        int rowsPerBlock = BlockLanes;
        int fullBlocks = layer.Size / rowsPerBlock;
        string block128 = VectorClass(128);
        for (int block = 0; block < fullBlocks; block++)
        {
            int row = block * rowsPerBlock;
            string slice = $"{Index(row)}, {Index(rowsPerBlock)}";
            _writer.WriteLine(
                $"{block128}.CopyTo({RegisterKernels}.DotBlock(ref p, {Index(layer.WeightOffset + (row * layer.InputCount))}, {input}) + " +
                $"{block128}.Create<{_t}>({b}.Slice({slice})), {target}.Slice({slice}));");
        }

        for (int row = fullBlocks * rowsPerBlock; row < layer.Size; row++)
        {
            _writer.WriteLine($"{target}[{Index(row)}] = {b}[{Index(row)}] + {RegisterKernels}.Dot(ref p, {Index(layer.WeightOffset + (row * layer.InputCount))}, {input});");
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
        string sum = previous is null ? "" : $"sum{previous.Number}";
        if (previous is not null)
        {
            string type = VectorType(previous.Size);
            _writer.WriteLine($"{type} {sum}Even = {type}.Zero, {sum}Odd = {type}.Zero;");
        }

        for (int j = 0; j < layer.Size; j++)
        {
            string delta = isOutput ? $"delta{layer.Number}[{Index(j)}]" : $"{VectorClass(BitsOf(layer.Size))}.GetElement(delta{layer.Number}, {Index(j)})";
            string offset = Index(layer.WeightOffset + (j * layer.InputCount));
            _writer.WriteLine(previous is null
                ? $"{RegisterKernels}.Step(ref p, {offset}, {input}, {delta}, learningRate);"
                : $"{RegisterKernels}.PropagateAndStep(ref p, {offset}, {input}, {delta}, learningRate, ref {sum}{(j % 2 == 0 ? "Even" : "Odd")});");
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
            string bias = Index(layer.BiasOffset);
            string vector = VectorClass(BitsOf(layer.Size));
            _writer.WriteLine($"{vector}.StoreUnsafe({vector}.LoadUnsafe(ref p, {bias}) - learningRate * delta{layer.Number}, ref p, {bias});");
        }

        if (previous is not null)
        {
            string total = $"{sum}Even + {sum}Odd";
            string derivative = previous.Definition.RuntimeOperator is null
                ? total
                : $"{Activations}.MultiplyByDerivative<{_t}, {Operator(previous.Definition)}>({DerivativeSource(previous)}, {total})";
            _writer.WriteLine($"{VectorType(previous.Size)} delta{previous.Number} = {derivative};");
        }
    }

    /// <summary>Elements of the network's type in a 128-bit block: the rows one DotBlock call finishes.</summary>
    private int BlockLanes => _plan.Precision == Precision.Double ? 2 : 4;

    private int BitsOf(int elements) => elements * (_plan.Precision == Precision.Double ? 64 : 32);

    private static string VectorClass(int bits) => $"{ExpressionSyntax.VectorsAlias}::Vector{bits.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The vector type that holds exactly <paramref name="elements"/> of the network's type.</summary>
    private string VectorType(int elements) => $"{VectorClass(BitsOf(elements))}<{_t}>";
}
