using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Backprop.Generator.Definitions;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;
using Backprop.Generator.Weights;

namespace Backprop.Generator.Emitting;

/// <summary>
/// Writes the source of one network from its plan: the file header that tables the layers, the
/// partial type, and one <c>Write…</c> method per generated member. Pure and deterministic: the same
/// plan always gives the same text.
/// </summary>
internal sealed partial class NetworkEmitter
{
    private const string NetworkGuard = ExpressionSyntax.CompilerServices + "NetworkGuard";
    private const string DenseKernels = ExpressionSyntax.CompilerServices + "DenseKernels";
    private const string Activations = ExpressionSyntax.CompilerServices + "Activations";
    private const string Softmax = ExpressionSyntax.CompilerServices + "Softmax";

    /// <summary>The parameter and batch-gradient storage: 64-byte aligned, so vectorised updates never straddle cache lines.</summary>
    private string AlignedBuffer => $"{ExpressionSyntax.CompilerServices}AlignedBuffer<{_t}>";
    private const string TensorPrimitives = "global::System.Numerics.Tensors.TensorPrimitives";

    /// <summary>Sums longer than this are split into several statements, so no expression nests deeply.</summary>
    private const int TermsPerStatement = 8;

    private readonly NetworkPlan _plan;
    private readonly IndentedWriter _writer;
    private readonly string _t;
    private readonly ExpressionSyntax _syntax;
    private readonly string _generatorVersion;

    /// <summary>The parameters compiled in from the declaration's weights file, or null for none.</summary>
    private readonly CompiledWeights? _weights;

    private NetworkEmitter(NetworkPlan plan, string generatorVersion, IndentedWriter? writer = null, CompiledWeights? weights = null)
    {
        _plan = plan;
        _weights = weights;
        _writer = writer ?? new IndentedWriter();
        _generatorVersion = generatorVersion;
        _syntax = new ExpressionSyntax(plan.Precision);
        _t = _syntax.Type;
    }

    /// <param name="weights">The parameters read from the declaration's weights file (<c>Weights = "…"</c>), or null.</param>
    public static string Emit(NetworkPlan plan, string generatorVersion, CompiledWeights? weights = null)
    {
        if ((weights is null) != (plan.Weights is null) || (weights is not null && weights.Values.Count != plan.ParameterCount))
        {
            throw new System.ArgumentException("The compiled weights do not belong to the plan.", nameof(weights));
        }

        var emitter = new NetworkEmitter(plan, generatorVersion, weights: weights);
        emitter.WriteFile();
        return emitter._writer.ToString();
    }

    /// <summary>The longest generated file name, so that EmitCompilerGeneratedFiles stays within every file system's limits.</summary>
    public const int MaximumHintNameLength = 100;

    /// <summary>
    /// The generated file's name: namespace and type, so it reads well on disk. A full name too long for that keeps
    /// its start and ends with a hash of the whole name, so that it stays unique and the same on every build.
    /// </summary>
    public static string HintName(TypeSpec type)
    {
        const string extension = ".g.cs";
        string name = type.FullName;
        if (name.Length + extension.Length <= MaximumHintNameLength)
        {
            return name + extension;
        }

        // FNV-1a over the UTF-16 code units: stable across processes and platforms, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (char c in name)
        {
            hash = (hash ^ c) * 16777619;
        }

        string suffix = "." + hash.ToString("x8", CultureInfo.InvariantCulture) + extension;
        return name.Substring(0, MaximumHintNameLength - suffix.Length) + suffix;
    }

    private IReadOnlyList<LayerPlan> Layers => _plan.Layers;

    private string Span => $"global::System.Span<{_t}>";

    private string ReadOnlySpan => $"global::System.ReadOnlySpan<{_t}>";

    private void WriteFile()
    {
        WriteFileHeader();
        _writer.WriteLine("#nullable enable");
        _writer.WriteBlankLine();
        _writer.WriteLine($"using {ExpressionSyntax.RuntimeAlias} = global::Backprop.CompilerServices;");
        if (_plan.RunsInRegisters)
        {
            _writer.WriteLine($"using {ExpressionSyntax.VectorsAlias} = global::System.Runtime.Intrinsics;");
        }

        _writer.WriteBlankLine();

        PartialTypeWriter.Write(_writer, _plan.Type, $"global::Backprop.INetwork<{_t}>", _generatorVersion, WriteMembers);
    }

    private void WriteMembers()
    {
        WriteConstants();
        _writer.WriteBlankLine();
        WriteParameterStorage();
        _writer.WriteBlankLine();
        WriteParametersProperty();
        _writer.WriteBlankLine();
        WriteInterfaceCounts();
        _writer.WriteBlankLine();
        WriteInitializeParameters();
        _writer.WriteBlankLine();
        if (_weights is not null)
        {
            WriteCompiledWeights(_weights);
            _writer.WriteBlankLine();
        }

        WriteForward();
        _writer.WriteBlankLine();
        WriteComputeLoss();
        _writer.WriteBlankLine();
        WriteBackward();
        _writer.WriteBlankLine();
        WriteTrainStep();
        _writer.WriteBlankLine();
        WriteTrainBatch();
        _writer.WriteBlankLine();
        WriteAccumulateGradient();
        _writer.WriteBlankLine();
        WriteForwardBatch();
        _writer.WriteBlankLine();
        WriteBackwardBatch();
        _writer.WriteBlankLine();
        WriteAccumulateBatchGradient();
        if (_plan.RunsInRegisters)
        {
            _writer.WriteBlankLine();
            WriteForwardInRegisters(pairs: false);
            _writer.WriteBlankLine();
            WriteTrainStepInRegisters();
        }

        if (_plan.RunsInRegisterPairs)
        {
            _writer.WriteBlankLine();
            WriteForwardInRegisters(pairs: true);
        }
    }

    private void WriteFileHeader()
    {
        NetworkPlan plan = _plan;
        string shape = string.Join(" → ", new[] { plan.InputCount }.Concat(Layers.Select(l => l.Size)).Select(n => Number(n)));
        _writer.WriteLine("// <auto-generated/>");
        _writer.WriteLine($"// Generated by Backprop.Generator {_generatorVersion} from the attributes on {plan.Type.FullName}.");
        _writer.WriteLine("// Do not edit: change the attributes and rebuild.");
        _writer.WriteLine("//");
        _writer.WriteLine($"// Network:  {shape}, {_t}, {Number(plan.ParameterCount)} parameters");
        if (_weights is not null)
        {
            _writer.WriteComment($"// Weights:  {plan.Weights} ({_weights.Format}, {_t}), compiled in", HeaderContinuation);
        }

        _writer.WriteComment($"// Loss:     {plan.Loss}: {plan.LossDefinition.Formula}", HeaderContinuation);
        _writer.WriteComment($"// Output δ: {Formulas.DescribeOutputDelta(plan)}", HeaderContinuation);
        _writer.WriteComment("// Hidden δ: δ⁽ˡ⁾ⱼ = g′(z⁽ˡ⁾ⱼ)·Σₖ δ⁽ˡ⁺¹⁾ₖ·W⁽ˡ⁺¹⁾ₖⱼ, g′ written from the stored a⁽ˡ⁾ where it can be;", HeaderContinuation);
        _writer.WriteLine(HeaderContinuation + "gradients: ∂L/∂W⁽ˡ⁾ⱼᵢ = δ⁽ˡ⁾ⱼ·a⁽ˡ⁻¹⁾ᵢ, ∂L/∂b⁽ˡ⁾ⱼ = δ⁽ˡ⁾ⱼ");
        _writer.WriteLine("//");

        var rows = new List<string[]>
        {
            new[] { "Layer", "Size", "Activation", "Weights at, count", "Biases at, count", "Emitted as" },
            new[] { "input", Number(plan.InputCount), "", "", "", "" },
        };
        foreach (LayerPlan layer in Layers)
        {
            rows.Add(new[]
            {
                layer.Number.ToString(CultureInfo.InvariantCulture),
                Number(layer.Size),
                layer.Activation.ToString(),
                $"{Number(layer.WeightOffset)}, {Number(layer.WeightCount)}",
                $"{Number(layer.BiasOffset)}, {Number(layer.Size)}",
                Formulas.DescribeEmission(layer),
            });
        }

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (string[] row in rows)
        {
            string line = string.Join("  ", row.Select((cell, c) => c == 1 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c])));
            _writer.WriteLine(("// " + line).TrimEnd());
        }

        if (plan.RunsInRegisters)
        {
            _writer.WriteLine("//");
            _writer.WriteLine($"// Forward and TrainStep run in registers when {plan.RegisterWidthBits}-bit vectors are accelerated: every layer's input fills");
            _writer.WriteLine("// one vector, so each row of W is one vector and no layer's vectors go through memory: the output layer's");
            _writer.WriteLine("// z, y, loss and δ are vectors too (RegisterKernels, RegisterSoftmax). Without such vectors they take the");
            _writer.WriteLine("// kernels above.");
            if (plan.RunsInRegisterPairs)
            {
                _writer.WriteLine("// Where 512-bit vectors are not accelerated but 256-bit ones are (AVX2), Forward's form holds each 512-bit");
                _writer.WriteLine("// vector as a pair of 256-bit registers (Vector256Pair); TrainStep takes the kernels, faster there.");
            }
            if (RegisterLaneByLane() is { } laneByLane)
            {
                _writer.WriteLine($"// In registers {laneByLane} lane by lane: the loss's definition has no vector form of it.");
            }
        }

        _writer.WriteLine("//");
        _writer.WriteLine(
            $"// ForwardBatch, BackwardBatch and TrainBatch run blocks of {Rows(plan.BatchBlockRows)}: each layer of a block is " +
            "one matrix product");
        _writer.WriteLine("// (BatchKernels, a tile of rows × neurons in registers per weight load), its activation one pass over the block.");
        foreach (LayerPlan layer in Layers)
        {
            string forward = layer.InputCount >= NetworkPlanner.BatchDotProductMinimumInputs
                ? "z by dot products along the inputs, tiles of 3 rows × 4 neurons"
                : "z from Wᵀ packed once per block, tiles of 6 rows × 2 vectors of neurons";
            _writer.WriteLine($"//   layer {layer.Number}: {forward}");
        }

        _writer.WriteLine("//   and δ·W, δᵀ·a in tiles of 6 rows × 2 vectors of the inputs.");

        MethodCost cost = plan.EstimatedTrainStepCost;
        MethodCost limit = JitBudget.PerMethod;
        _writer.WriteLine("//");
        _writer.WriteLine($"// Planner: TrainStep estimated at {Number(cost.ILInstructions)} IL instructions, {Number(cost.ILBytes)} IL bytes, {Number(cost.Locals)} locals;");
        _writer.WriteLine($"// narrow layers are vectorised instead of unrolled once a method would pass {Number(limit.ILInstructions)} / {Number(limit.ILBytes)} / {Number(limit.Locals)},");
        _writer.WriteLine("// 10% under the thresholds past which the JIT compiles a method without optimisation (MinOpts).");
        _writer.WriteBlankLine();
    }

    /// <summary>Where the header's labelled lines continue: under the text, past the labels ("// Loss:     ").</summary>
    private const string HeaderContinuation = "//           ";

    private static string Rows(int count) => count == 1 ? "1 row" : $"{Number(count)} rows";

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Index(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A literal of the network's type: <c>0.5f</c> or <c>0.5</c>.</summary>
    private string Literal(string value) => _syntax.Literal(value);
}
