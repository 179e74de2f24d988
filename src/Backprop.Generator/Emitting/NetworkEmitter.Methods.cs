using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
    /// <summary>What a generated method computes; each kind runs a prefix of forward → loss → backward.</summary>
    private enum MethodKind
    {
        Forward,
        ComputeLoss,
        AccumulateGradient,
        TrainStep,
    }

    private static bool ComputesLoss(MethodKind kind) => kind != MethodKind.Forward;

    private static bool Backpropagates(MethodKind kind) => kind is MethodKind.AccumulateGradient or MethodKind.TrainStep;

    private void WriteForward()
    {
        _writer.WriteLine("/// <summary>Computes the network's output y = a⁽ᴸ⁾ for one input. Thread-safe and allocation-free.</summary>");
        _writer.WriteLine($"/// <param name=\"input\">The {Number(_plan.InputCount)} inputs.</param>");
        _writer.WriteLine($"/// <param name=\"output\">Receives the {Number(_plan.OutputCount)} outputs.</param>");
        WriteWrongLengthDoc();
        using (_writer.WriteBlock($"public void {GeneratedMembers.Forward}({ReadOnlySpan} input, {Span} output)"))
        {
            WriteLengthCheck("input", GeneratedMembers.InputCount);
            WriteLengthCheck("output", GeneratedMembers.OutputCount);
            if (_plan.RunsInRegisters)
            {
                using (_writer.WriteBlock($"if ({RegisterCondition})"))
                {
                    _writer.WriteLine($"{GeneratedMembers.ForwardInRegisters}(input, output);");
                    _writer.WriteLine("return;");
                }

                _writer.WriteBlankLine();
            }

            WriteMethodBody(MethodKind.Forward, () =>
            {
                WriteForwardPass(MethodKind.Forward);
                if (_plan.OutputLayer.Storage == VectorStorage.Locals)
                {
                    _writer.WriteBlankLine();
                    _writer.WriteLine("// y = a" + _plan.OutputLayer.Number);
                    for (int k = 0; k < _plan.OutputCount; k++)
                    {
                        _writer.WriteLine($"output[{Index(k)}] = {A(_plan.OutputLayer, Index(k))};");
                    }
                }
            });
        }
    }

    private void WriteComputeLoss()
    {
        _writer.WriteLine($"/// <summary>Computes the loss of one sample: {Formulas.DescribeLoss(_plan.Loss)}.</summary>");
        WriteSampleParameterDocs();
        _writer.WriteLine("/// <returns>The loss L(y, t).</returns>");
        WriteWrongLengthDoc();
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.ComputeLoss}({ReadOnlySpan} input, {ReadOnlySpan} target)"))
        {
            WriteLengthCheck("input", GeneratedMembers.InputCount);
            WriteLengthCheck("target", GeneratedMembers.OutputCount);
            WriteMethodBody(MethodKind.ComputeLoss, () =>
            {
                WriteForwardPass(MethodKind.ComputeLoss);
                _writer.WriteBlankLine();
                WriteLoss();
                _writer.WriteLine("return loss;");
            });
        }
    }

    private void WriteBackward()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine("/// Adds the exact gradient ∂L/∂θ of one sample into <paramref name=\"gradient\"/>, in the layout of");
        _writer.WriteLine($"/// <see cref=\"{GeneratedMembers.Parameters}\"/>, so the gradients of several samples can be summed.");
        _writer.WriteLine("/// </summary>");
        WriteSampleParameterDocs();
        _writer.WriteLine($"/// <param name=\"gradient\">The {Number(_plan.ParameterCount)} gradient sums to add into.</param>");
        _writer.WriteLine("/// <returns>The loss L(y, t).</returns>");
        WriteWrongLengthDoc();
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.Backward}({ReadOnlySpan} input, {ReadOnlySpan} target, {Span} gradient)"))
        {
            WriteLengthCheck("input", GeneratedMembers.InputCount);
            WriteLengthCheck("target", GeneratedMembers.OutputCount);
            WriteLengthCheck("gradient", GeneratedMembers.ParameterCount);
            _writer.WriteLine($"return {GeneratedMembers.AccumulateGradient}(input, target, gradient);");
        }
    }

    private void WriteTrainStep()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine("/// One step of stochastic gradient descent on one sample, θ ← θ − α·∂L/∂θ, fused with the forward and");
        _writer.WriteLine("/// backward passes: each weight is updated right after it has been read for δ, with no gradient buffer.");
        _writer.WriteLine("/// </summary>");
        WriteSampleParameterDocs();
        _writer.WriteLine("/// <param name=\"learningRate\">The step size α.</param>");
        _writer.WriteLine("/// <returns>The loss L(y, t) before the update.</returns>");
        WriteWrongLengthDoc();
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.TrainStep}({ReadOnlySpan} input, {ReadOnlySpan} target, {_t} learningRate)"))
        {
            WriteLengthCheck("input", GeneratedMembers.InputCount);
            WriteLengthCheck("target", GeneratedMembers.OutputCount);
            if (_plan.RunsInRegisters)
            {
                using (_writer.WriteBlock($"if ({RegisterCondition})"))
                {
                    _writer.WriteLine($"return {GeneratedMembers.TrainStepInRegisters}(input, target, learningRate);");
                }

                _writer.WriteBlankLine();
            }

            WriteMethodBody(MethodKind.TrainStep, () => WriteTrainingBody(MethodKind.TrainStep));
        }
    }

    private void WriteAccumulateGradient()
    {
        _writer.WriteLine($"/// <summary>The body of <see cref=\"{GeneratedMembers.Backward}\"/> without the argument checks, for <see cref=\"{GeneratedMembers.TrainBatch}\"/>'s rows.</summary>");
        using (_writer.WriteBlock($"private {_t} {GeneratedMembers.AccumulateGradient}({ReadOnlySpan} input, {ReadOnlySpan} target, {Span} gradient)"))
        {
            WriteMethodBody(MethodKind.AccumulateGradient, () => WriteTrainingBody(MethodKind.AccumulateGradient));
        }
    }

    private void WriteTrainingBody(MethodKind kind)
    {
        WriteForwardPass(kind);
        _writer.WriteBlankLine();
        WriteLoss();
        _writer.WriteBlankLine();
        WriteOutputDelta();
        WriteBackwardPass(kind);
        _writer.WriteBlankLine();
        _writer.WriteLine("return loss;");
    }

    private void WriteTrainBatch()
    {
        _writer.WriteLine("/// <summary>");
        _writer.WriteLine("/// One step of gradient descent on a batch: θ ← θ − α·(1/m)·Σᵣ ∂Lᵣ/∂θ over the m rows, applied once.");
        _writer.WriteLine("/// </summary>");
        _writer.WriteLine($"/// <param name=\"inputs\">m rows of {Number(_plan.InputCount)} inputs, concatenated.</param>");
        _writer.WriteLine($"/// <param name=\"targets\">m rows of {Number(_plan.OutputCount)} targets, concatenated.</param>");
        _writer.WriteLine("/// <param name=\"learningRate\">The step size α.</param>");
        _writer.WriteLine("/// <returns>The mean loss over the rows before the update.</returns>");
        _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The spans are not whole, matching, non-empty rows.</exception>");
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.TrainBatch}({ReadOnlySpan} inputs, {ReadOnlySpan} targets, {_t} learningRate)"))
        {
            _writer.WriteLine($"int rows = {NetworkGuard}.BatchRows(inputs.Length, {GeneratedMembers.InputCount}, targets.Length, {GeneratedMembers.OutputCount});");
            using (_writer.WriteBlock($"if (!{GeneratedMembers.BatchGradientField}.IsAllocated)"))
            {
                _writer.WriteLine($"{GeneratedMembers.BatchGradientField} = new {AlignedBuffer}({GeneratedMembers.ParameterCount});");
            }

            _writer.WriteLine($"{Span} gradient = {GeneratedMembers.BatchGradientField}.Span;");
            _writer.WriteLine("gradient.Clear();");
            _writer.WriteLine($"{_t} lossSum = {Literal("0")};");
            using (_writer.WriteBlock("for (int row = 0; row < rows; row++)"))
            {
                _writer.WriteLine(
                    $"lossSum += {GeneratedMembers.AccumulateGradient}(inputs.Slice(row * {GeneratedMembers.InputCount}, {GeneratedMembers.InputCount}), " +
                    $"targets.Slice(row * {GeneratedMembers.OutputCount}, {GeneratedMembers.OutputCount}), gradient);");
            }

            _writer.WriteBlankLine();
            _writer.WriteLine("// The mean gradient, one update: θ ← θ − (α/m)·Σᵣ ∂Lᵣ/∂θ");
            _writer.WriteLine($"{TensorPrimitives}.MultiplyAdd<{_t}>(gradient, -learningRate / rows, {GeneratedMembers.ParametersField}.Span, {GeneratedMembers.ParametersField}.Span);");
            _writer.WriteLine("return lossSum / rows;");
        }
    }

    /// <summary>The docs of the <c>input</c> and <c>target</c> parameters every per-sample method takes.</summary>
    private void WriteSampleParameterDocs()
    {
        _writer.WriteLine($"/// <param name=\"input\">The {Number(_plan.InputCount)} inputs.</param>");
        _writer.WriteLine($"/// <param name=\"target\">The {Number(_plan.OutputCount)} targets.</param>");
    }

    private void WriteWrongLengthDoc()
        => _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");

    private void WriteLengthCheck(string parameter, string expected)
        => _writer.WriteLine($"{NetworkGuard}.Length({parameter}.Length, {expected}, nameof({parameter}));");

    /// <summary>
    /// Declares the parameter (and gradient) slices of every layer and the scratch buffer of the vectors
    /// that kernels touch, then writes the body inside it.
    /// </summary>
    private void WriteMethodBody(MethodKind kind, Action writeBody)
    {
        string parameterSpan = kind == MethodKind.TrainStep ? Span : ReadOnlySpan;
        _writer.WriteLine($"{parameterSpan} parameters = {GeneratedMembers.ParametersField}.Span;");
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteLine($"{parameterSpan} w{layer.Number} = parameters.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)});");
            _writer.WriteLine($"{parameterSpan} b{layer.Number} = parameters.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)});");
        }

        if (kind == MethodKind.AccumulateGradient)
        {
            foreach (LayerPlan layer in Layers)
            {
                _writer.WriteLine($"{Span} dw{layer.Number} = gradient.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)});");
                _writer.WriteLine($"{Span} db{layer.Number} = gradient.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)});");
            }
        }

        if (kind == MethodKind.Forward && _plan.OutputLayer.Storage == VectorStorage.Span)
        {
            _writer.WriteLine($"{Span} a{_plan.OutputLayer.Number} = output;");
        }

        List<(string Name, int Length)> vectors = ScratchVectors(kind);
        int total = vectors.Sum(v => v.Length);
        if (vectors.Count == 0)
        {
            writeBody();
            return;
        }

        int elementSize = _plan.Precision == Precision.Double ? 8 : 4;
        if ((long)total * elementSize <= StackScratchBytes)
        {
            _writer.WriteLine($"{Span} scratch = stackalloc {_t}[{Index(total)}];");
            WriteScratchSlices(vectors);
            writeBody();
            return;
        }

        string pool = $"global::System.Buffers.ArrayPool<{_t}>.Shared";
        _writer.WriteLine($"{_t}[] rentedScratch = {pool}.Rent({Index(total)});");
        using (_writer.WriteBlock("try"))
        {
            _writer.WriteLine($"{Span} scratch = new {Span}(rentedScratch, 0, {Index(total)});");
            WriteScratchSlices(vectors);
            writeBody();
        }

        using (_writer.WriteBlock("finally"))
        {
            _writer.WriteLine($"{pool}.Return(rentedScratch);");
        }
    }

    private void WriteScratchSlices(List<(string Name, int Length)> vectors)
    {
        int offset = 0;
        foreach ((string name, int length) in vectors)
        {
            _writer.WriteLine($"{Span} {name} = scratch.Slice({Index(offset)}, {Index(length)});");
            offset += length;
        }
    }

    /// <summary>The vectors a method keeps in its scratch buffer: those of layers whose storage is a span.</summary>
    private List<(string Name, int Length)> ScratchVectors(MethodKind kind)
    {
        var vectors = new List<(string Name, int Length)>();
        foreach (LayerPlan layer in Layers.Where(l => l.Storage == VectorStorage.Span))
        {
            bool isOutput = layer.Number == _plan.OutputLayer.Number;
            if (isOutput && ComputesLoss(kind) && _plan.KeepsLogits)
            {
                vectors.Add(($"z{layer.Number}", layer.Size));
            }

            if (!(isOutput && kind == MethodKind.Forward))
            {
                vectors.Add(($"a{layer.Number}", layer.Size));
            }

            if (Backpropagates(kind))
            {
                vectors.Add(($"delta{layer.Number}", layer.Size));
            }
        }

        return vectors;
    }
}
