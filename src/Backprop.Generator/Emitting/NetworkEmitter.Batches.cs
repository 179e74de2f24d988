using System;
using Backprop.Generator.Definitions;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    private const string BatchKernels = ExpressionSyntax.CompilerServices + "BatchKernels";

    private void WriteForwardBatch()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine("/// Computes the outputs of many rows at once, in blocks of rows: each layer of a block is one matrix product,");
        _writer.WriteLine("/// so each weight loaded serves a tile of rows. Any number of rows, zero included. Thread-safe and allocation-free.");
        _writer.WriteLine("/// </summary>");
        _writer.WriteLine($"/// <param name=\"inputs\">m rows of {Number(_plan.InputCount)} inputs, concatenated.</param>");
        _writer.WriteLine($"/// <param name=\"outputs\">Receives m rows of {Number(_plan.OutputCount)} outputs.</param>");
        _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The spans are not whole, matching rows.</exception>");
        using (_writer.WriteBlock($"public void {GeneratedMembers.ForwardBatch}({ReadOnlySpan} inputs, {Span} outputs)"))
        {
            _writer.WriteLine($"int rows = {NetworkGuard}.Rows(inputs.Length, {GeneratedMembers.InputCount}, outputs.Length, {GeneratedMembers.OutputCount}, \"outputs\");");
            WriteBatchMethodBody(GeneratedMethod.ForwardBatch, () =>
            {
                foreach (LayerPlan layer in Layers)
                {
                    _writer.WriteBlankLine();
                    WriteBatchLayerForward(layer, GeneratedMethod.ForwardBatch);
                }
            });
        }
    }

    private void WriteBackwardBatch()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine("/// Adds Σᵣ ∂Lᵣ/∂θ over the rows into <paramref name=\"gradient\"/>, in the layout of");
        _writer.WriteLine($"/// <see cref=\"{GeneratedMembers.Parameters}\"/>, and returns Σᵣ Lᵣ: sums, so that the parts of a split batch add up to it.");
        _writer.WriteLine("/// Each layer's gradient is a matrix product over a block of rows, δᵀ·A. Any number of rows, zero included.");
        _writer.WriteLine("/// </summary>");
        _writer.WriteLine($"/// <param name=\"inputs\">m rows of {Number(_plan.InputCount)} inputs, concatenated.</param>");
        _writer.WriteLine($"/// <param name=\"targets\">m rows of {Number(_plan.OutputCount)} targets, concatenated.</param>");
        _writer.WriteLine($"/// <param name=\"gradient\">The {Number(_plan.ParameterCount)} gradient sums to add into.</param>");
        _writer.WriteLine("/// <returns>The sum of the rows' losses.</returns>");
        _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The spans are not whole, matching rows, or the gradient has the wrong length.</exception>");
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.BackwardBatch}({ReadOnlySpan} inputs, {ReadOnlySpan} targets, {Span} gradient)"))
        {
            _writer.WriteLine($"int rows = {NetworkGuard}.Rows(inputs.Length, {GeneratedMembers.InputCount}, targets.Length, {GeneratedMembers.OutputCount}, \"targets\");");
            WriteLengthCheck("gradient", GeneratedMembers.ParameterCount);
            _writer.WriteLine($"return {GeneratedMembers.AccumulateBatchGradient}(inputs, targets, gradient, rows, {Literal("1")});");
        }
    }

    private void WriteAccumulateBatchGradient()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine($"/// The body of <see cref=\"{GeneratedMembers.BackwardBatch}\"/> without the argument checks: adds scale·Σᵣ ∂Lᵣ/∂θ into");
        _writer.WriteLine("/// <paramref name=\"gradient\"/> and returns Σᵣ Lᵣ. Every δ is linear in the output δ, so scaling that one scales");
        _writer.WriteLine("/// every term. Each layer's W is read for the last time (by the block's forward pass, then Δ·W) before its");
        _writer.WriteLine($"/// terms are added, so for one block of rows <see cref=\"{GeneratedMembers.TrainBatch}\"/> passes the parameters");
        _writer.WriteLine("/// themselves and −α/m: the step is taken in place, without a gradient buffer.");
        _writer.WriteLine("/// </summary>");
        using (_writer.WriteBlock($"private {_t} {GeneratedMembers.AccumulateBatchGradient}({ReadOnlySpan} inputs, {ReadOnlySpan} targets, {Span} gradient, int rows, {_t} scale)"))
        {
            _writer.WriteLine($"{_t} lossSum = {Literal("0")};");
            WriteBatchMethodBody(GeneratedMethod.AccumulateBatchGradient, () =>
            {
                foreach (LayerPlan layer in Layers)
                {
                    _writer.WriteBlankLine();
                    WriteBatchLayerForward(layer, GeneratedMethod.AccumulateBatchGradient);
                }

                _writer.WriteBlankLine();
                WriteBatchOutputRows();
                WriteOutputDeltaScale();
                for (int l = Layers.Count; l >= 1; l--)
                {
                    _writer.WriteBlankLine();
                    WriteBatchLayerBackward(Layers[l - 1]);
                }
            });
            _writer.WriteBlankLine();
            _writer.WriteLine("return lossSum;");
        }
    }

    /// <summary>Δ⁽ᴸ⁾ ← scale·Δ⁽ᴸ⁾, unless the scale is 1 (BackwardBatch): every δ below and every gradient term follow.</summary>
    private void WriteOutputDeltaScale()
    {
        string delta = $"delta{_plan.OutputLayer.Number}Rows";
        _writer.WriteBlankLine();
        using (_writer.WriteBlock($"if (scale != {Literal("1")})"))
        {
            _writer.WriteLine($"// δ{_plan.OutputLayer.Number} ← scale·δ{_plan.OutputLayer.Number}: every δ below, and so every term added, is scaled with it");
            _writer.WriteLine($"{TensorPrimitives}.Multiply<{_t}>({delta}, scale, {delta});");
        }
    }

    /// <summary>
    /// Declares the parameter (and gradient) slices and the scratch buffer, then loops over the blocks of rows: the
    /// block's inputs (and targets), its slice of every block buffer, then the body.
    /// </summary>
    private void WriteBatchMethodBody(GeneratedMethod kind, Action writeBlock)
    {
        bool training = kind == GeneratedMethod.AccumulateBatchGradient;
        _writer.WriteLine($"{ReadOnlySpan} parameters = {GeneratedMembers.ParametersField}.Span;");
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteLine($"{ReadOnlySpan} w{layer.Number} = parameters.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)});");
            _writer.WriteLine($"{ReadOnlySpan} b{layer.Number} = parameters.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)});");
        }

        if (training)
        {
            foreach (LayerPlan layer in Layers)
            {
                _writer.WriteLine($"{Span} dw{layer.Number} = gradient.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)});");
                _writer.WriteLine($"{Span} db{layer.Number} = gradient.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)});");
            }
        }

        MethodPlan method = _plan.Method(kind);
        string blockRows = Index(_plan.BatchBlockRows);
        WriteScratch(
            method,
            () =>
            {
                using (_writer.WriteBlock($"for (int start = 0; start < rows; start += {blockRows})"))
                {
                    _writer.WriteLine($"int count = global::System.Math.Min({blockRows}, rows - start);");
                    _writer.WriteLine($"{ReadOnlySpan} inputRows = inputs.Slice(start * {GeneratedMembers.InputCount}, count * {GeneratedMembers.InputCount});");
                    string outputRows = training
                        ? $"{ReadOnlySpan} targetRows = targets.Slice(start * {GeneratedMembers.OutputCount}, count * {GeneratedMembers.OutputCount});"
                        : $"{Span} outputRows = outputs.Slice(start * {GeneratedMembers.OutputCount}, count * {GeneratedMembers.OutputCount});";
                    _writer.WriteLine(outputRows);
                    foreach (ScratchSlice slice in method.Slices)
                    {
                        int perRow = slice.Length / _plan.BatchBlockRows;
                        string length = perRow == 1 ? "count" : $"count * {Index(perRow)}";
                        _writer.WriteLine($"{Span} {slice.Name} = scratch.Slice({Index(slice.Offset)}, {length});");
                    }

                    writeBlock();
                }
            },
            declareSlices: false);
    }

    /// <summary>The block's rows of a⁽ˡ⁻¹⁾ (the inputs for the first layer).</summary>
    private static string PreviousRows(LayerPlan layer) => layer.Number == 1 ? "inputRows" : $"a{layer.Number - 1}Rows";

    /// <summary>
    /// Z⁽ˡ⁾ = A⁽ˡ⁻¹⁾·W⁽ˡ⁾ᵀ + b⁽ˡ⁾ for every row of the block, then the activation over the whole block. The output
    /// layer of ForwardBatch writes the caller's rows; in training a softmax also keeps each row's logsumexp(z) when
    /// the loss reads it.
    /// </summary>
    private void WriteBatchLayerForward(LayerPlan layer, GeneratedMethod method)
    {
        ActivationDefinition activation = layer.Definition;
        bool isOutput = layer.Number == _plan.OutputLayer.Number;
        bool keepsZ = _plan.KeepsPreActivation(layer, method);
        string a = isOutput && method == GeneratedMethod.ForwardBatch ? "outputRows" : $"a{layer.Number}Rows";
        string z = keepsZ ? $"z{layer.Number}Rows" : a;
        string formula = activation.IsElementWise ? $"a{layer.Number} = {activation.Applied("z" + layer.Number)}" : $"then {activation.Name.ToLowerInvariant()}";
        _writer.WriteLine(
            $"// Layer {layer.Number}: Dense({layer.Size}, {layer.Activation}), the block's rows at once. " +
            $"z{layer.Number} = W{layer.Number}·{PreviousName(layer)} + b{layer.Number} for each row, {formula}");
        _writer.WriteLine($"{BatchKernels}.Forward<{_t}>(w{layer.Number}, b{layer.Number}, {PreviousRows(layer)}, {z}, count);");
        if (!activation.IsElementWise)
        {
            bool keepsLogSumExp = _plan.ReadsLogSumExp(method);
            _writer.WriteLine($"// softmax of each row: {activation.Formula}{(keepsLogSumExp ? "; and each row's logsumexp(z)" : "")}");
            string logSumExps = keepsLogSumExp ? ", logSumExpRows" : "";
            _writer.WriteLine($"{Softmax}.ComputeRows<{_t}>({z}, {a}, {Index(layer.Size)}{logSumExps});");
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

    /// <summary>
    /// Per row of the block: the loss and the output δ, as the per-sample span code writes them, on the row's slices of
    /// the block buffers (a softmax is already computed over the block, with each row's logsumexp where the loss reads it).
    /// </summary>
    private void WriteBatchOutputRows()
    {
        LayerPlan output = _plan.OutputLayer;
        var perRow = new NetworkEmitter(_plan.WithEveryVectorInSpans(), _generatorVersion, _writer);
        string n = Index(output.Size);
        _writer.WriteLine("// Per row: the loss and the output δ");
        using (_writer.WriteBlock("for (int row = 0; row < count; row++)"))
        {
            _writer.WriteLine($"{ReadOnlySpan} target = targetRows.Slice(row * {n}, {n});");
            foreach (string vector in new[] { "z", "a", "delta" })
            {
                if (vector != "z" || _plan.KeepsPreActivation(output, GeneratedMethod.AccumulateBatchGradient))
                {
                    _writer.WriteLine($"{Span} {vector}{output.Number} = {vector}{output.Number}Rows.Slice(row * {n}, {n});");
                }
            }

            if (_plan.ReadsLogSumExp(GeneratedMethod.AccumulateBatchGradient))
            {
                _writer.WriteLine($"{_t} logSumExp = logSumExpRows[row];");
            }

            perRow.WriteLoss();
            perRow.WriteOutputDelta();
            _writer.WriteLine("lossSum += loss;");
        }
    }

    /// <summary>
    /// From δ⁽ˡ⁾ of the block: Δ⁽ˡ⁻¹⁾ = (Δ⁽ˡ⁾·W⁽ˡ⁾) ⊙ g′, then ∂L/∂W⁽ˡ⁾ += Δ⁽ˡ⁾ᵀ·A⁽ˡ⁻¹⁾ and ∂L/∂b⁽ˡ⁾ += Σᵣ δ⁽ˡ⁾ᵣ.
    /// </summary>
    private void WriteBatchLayerBackward(LayerPlan layer)
    {
        string delta = $"delta{layer.Number}Rows";
        if (PreviousLayer(layer) is { } previous)
        {
            _writer.WriteLine(DescribePropagation(layer, previous) + ", for each row");
            _writer.WriteLine($"{BatchKernels}.Propagate<{_t}>(w{layer.Number}, {delta}, delta{previous.Number}Rows, count);");
            if (previous.Definition.RuntimeOperator is not null)
            {
                _writer.WriteLine($"{Activations}.MultiplyByDerivative<{_t}, {Operator(previous.Definition)}>({DerivativeSource(previous)}Rows, delta{previous.Number}Rows);");
            }
        }

        _writer.WriteLine(
            $"// Gradient of layer {layer.Number}, summed over the rows: ∂L/∂W{layer.Number} += Σᵣ δ{layer.Number}ᵣ·{PreviousName(layer)}ᵣᵀ, " +
            $"∂L/∂b{layer.Number} += Σᵣ δ{layer.Number}ᵣ");
        _writer.WriteLine($"{BatchKernels}.Accumulate<{_t}>(dw{layer.Number}, db{layer.Number}, {delta}, {PreviousRows(layer)}, count);");
    }
}
