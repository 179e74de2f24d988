using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

internal sealed partial class NetworkEmitter
{
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
                foreach ((string condition, string method) in RegisterForms(training: false))
                {
                    using (_writer.WriteBlock($"if ({condition})"))
                    {
                        _writer.WriteLine($"{method}(input, output);");
                        _writer.WriteLine("return;");
                    }

                    _writer.WriteBlankLine();
                }
            }

            WriteMethodBody(GeneratedMethod.Forward, () =>
            {
                WriteForwardPass(GeneratedMethod.Forward);
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
        _writer.WriteLine($"/// <summary>Computes the loss of one sample: {_plan.LossDefinition.Formula}.</summary>");
        WriteSampleParameterDocs();
        _writer.WriteLine("/// <returns>The loss L(y, t).</returns>");
        WriteWrongLengthDoc();
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.ComputeLoss}({ReadOnlySpan} input, {ReadOnlySpan} target)"))
        {
            WriteLengthCheck("input", GeneratedMembers.InputCount);
            WriteLengthCheck("target", GeneratedMembers.OutputCount);
            WriteMethodBody(GeneratedMethod.ComputeLoss, () =>
            {
                WriteForwardPass(GeneratedMethod.ComputeLoss);
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
        _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length, or holds a NaN or an infinity (no parameter is changed).</exception>");
        WriteLearningRateDoc();
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.TrainStep}({ReadOnlySpan} input, {ReadOnlySpan} target, {_t} learningRate)"))
        {
            WriteLengthCheck("input", GeneratedMembers.InputCount);
            WriteLengthCheck("target", GeneratedMembers.OutputCount);
            WriteTrainingValueChecks("input", "target");
            if (_plan.RunsInRegisters)
            {
                foreach ((string condition, string method) in RegisterForms(training: true))
                {
                    using (_writer.WriteBlock($"if ({condition})"))
                    {
                        _writer.WriteLine($"return {method}(input, target, learningRate);");
                    }

                    _writer.WriteBlankLine();
                }
            }

            WriteMethodBody(GeneratedMethod.TrainStep, () => WriteTrainingBody(GeneratedMethod.TrainStep));
        }
    }

    private void WriteAccumulateGradient()
    {
        _writer.WriteLine($"/// <summary>The body of <see cref=\"{GeneratedMembers.Backward}\"/> without the argument checks, for <see cref=\"{GeneratedMembers.TrainBatch}\"/>'s rows.</summary>");
        using (_writer.WriteBlock($"private {_t} {GeneratedMembers.AccumulateGradient}({ReadOnlySpan} input, {ReadOnlySpan} target, {Span} gradient)"))
        {
            WriteMethodBody(GeneratedMethod.AccumulateGradient, () => WriteTrainingBody(GeneratedMethod.AccumulateGradient));
        }
    }

    private void WriteTrainingBody(GeneratedMethod kind)
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
        _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">The spans are not whole, matching, non-empty rows, or hold a NaN or an infinity (no parameter is changed).</exception>");
        WriteLearningRateDoc();
        using (_writer.WriteBlock($"public {_t} {GeneratedMembers.TrainBatch}({ReadOnlySpan} inputs, {ReadOnlySpan} targets, {_t} learningRate)"))
        {
            _writer.WriteLine($"int rows = {NetworkGuard}.BatchRows(inputs.Length, {GeneratedMembers.InputCount}, targets.Length, {GeneratedMembers.OutputCount});");
            WriteTrainingValueChecks("inputs", "targets");
            using (_writer.WriteBlock($"if (rows <= {Index(_plan.BatchBlockRows)})"))
            {
                _writer.WriteLine("// One block of rows: the step in place, θ += (−α/m)·Σᵣ ∂Lᵣ/∂θ, each layer's terms added once the block no longer reads its W; no gradient buffer to clear, fill and read back");
                _writer.WriteLine($"return {GeneratedMembers.AccumulateBatchGradient}(inputs, targets, {GeneratedMembers.ParametersField}.Span, rows, -learningRate / rows) / rows;");
            }

            _writer.WriteBlankLine();
            using (_writer.WriteBlock($"if (!{GeneratedMembers.BatchGradientField}.IsAllocated)"))
            {
                _writer.WriteLine($"{GeneratedMembers.BatchGradientField} = new {AlignedBuffer}({GeneratedMembers.ParameterCount});");
            }

            _writer.WriteLine($"{Span} gradient = {GeneratedMembers.BatchGradientField}.Span;");
            _writer.WriteLine("gradient.Clear();");
            _writer.WriteLine($"{_t} lossSum = {GeneratedMembers.AccumulateBatchGradient}(inputs, targets, gradient, rows, {Literal("1")});");
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

    private void WriteLearningRateDoc()
        => _writer.WriteLine("/// <exception cref=\"global::System.ArgumentOutOfRangeException\"><paramref name=\"learningRate\"/> is negative, infinite or NaN (no parameter is changed).</exception>");

    private void WriteWrongLengthDoc()
        => _writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A span has the wrong length.</exception>");

    /// <summary>
    /// The checks of a method that changes the parameters, before it changes any: the learning rate finite and ≥ 0,
    /// every input and target finite (a NaN would reach every parameter through the step).
    /// </summary>
    private void WriteTrainingValueChecks(string inputs, string targets)
    {
        _writer.WriteLine($"{NetworkGuard}.LearningRate(learningRate);");
        _writer.WriteLine($"{NetworkGuard}.Finite<{_t}>({inputs}, {GeneratedMembers.InputCount}, \"{inputs}\");");
        _writer.WriteLine($"{NetworkGuard}.Finite<{_t}>({targets}, {GeneratedMembers.OutputCount}, \"{targets}\");");
    }

    private void WriteLengthCheck(string parameter, string expected)
        => _writer.WriteLine($"{NetworkGuard}.Length({parameter}.Length, {expected}, \"{parameter}\");");

    /// <summary>
    /// Declares the parameter (and gradient) slices of every layer and the scratch buffer of the vectors
    /// that kernels touch, then writes the body inside it.
    /// </summary>
    private void WriteMethodBody(GeneratedMethod kind, Action writeBody)
    {
        string parameterSpan = kind == GeneratedMethod.TrainStep ? Span : ReadOnlySpan;
        _writer.WriteLine($"{parameterSpan} parameters = {GeneratedMembers.ParametersField}.Span;");
        foreach (LayerPlan layer in Layers)
        {
            _writer.WriteLine($"{parameterSpan} w{layer.Number} = parameters.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)});");
            _writer.WriteLine($"{parameterSpan} b{layer.Number} = parameters.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)});");
        }

        if (kind == GeneratedMethod.AccumulateGradient)
        {
            foreach (LayerPlan layer in Layers)
            {
                _writer.WriteLine($"{Span} dw{layer.Number} = gradient.Slice({Index(layer.WeightOffset)}, {Index(layer.WeightCount)});");
                _writer.WriteLine($"{Span} db{layer.Number} = gradient.Slice({Index(layer.BiasOffset)}, {Index(layer.Size)});");
            }
        }

        if (kind == GeneratedMethod.Forward && _plan.OutputLayer.Storage == VectorStorage.Span)
        {
            _writer.WriteLine($"{Span} a{_plan.OutputLayer.Number} = output;");
        }

        WriteScratch(_plan.Method(kind), writeBody);
    }

    /// <summary>
    /// The method's scratch buffer as the plan lays it out (none, on the stack, or rented), its named slices (unless
    /// the body declares them itself, as a batched method does per block), then the body.
    /// </summary>
    private void WriteScratch(MethodPlan method, Action writeBody, bool declareSlices = true)
    {
        switch (method.Location)
        {
            case ScratchLocation.None:
                writeBody();
                break;
            case ScratchLocation.Stack:
                _writer.WriteLine($"{Span} scratch = stackalloc {_t}[{Index(method.ScratchLength)}];");
                if (declareSlices)
                {
                    WriteScratchSlices(method);
                }

                writeBody();
                break;
            case ScratchLocation.Pooled:
                string pool = $"global::System.Buffers.ArrayPool<{_t}>.Shared";
                _writer.WriteLine($"{_t}[] rentedScratch = {pool}.Rent({Index(method.ScratchLength)});");
                using (_writer.WriteBlock("try"))
                {
                    _writer.WriteLine($"{Span} scratch = new {Span}(rentedScratch, 0, {Index(method.ScratchLength)});");
                    if (declareSlices)
                    {
                        WriteScratchSlices(method);
                    }

                    writeBody();
                }

                using (_writer.WriteBlock("finally"))
                {
                    _writer.WriteLine($"{pool}.Return(rentedScratch);");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method.Location, "Unknown scratch location.");
        }
    }

    private void WriteScratchSlices(MethodPlan method)
    {
        foreach (ScratchSlice slice in method.Slices)
        {
            _writer.WriteLine($"{Span} {slice.Name} = scratch.Slice({Index(slice.Offset)}, {Index(slice.Length)});");
        }
    }
}
