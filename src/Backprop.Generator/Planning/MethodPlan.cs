using Backprop.Generator.Model;

namespace Backprop.Generator.Planning;

/// <summary>A generated method that runs the network; each computes a prefix of forward → loss → backward.</summary>
internal enum GeneratedMethod
{
    Forward,
    ComputeLoss,

    /// <summary>The body of Backward and of TrainBatch's rows: adds ∂L/∂θ into a gradient.</summary>
    AccumulateGradient,
    TrainStep,

    /// <summary>Forward with every vector in SIMD registers.</summary>
    ForwardInRegisters,

    /// <summary>TrainStep with every vector in SIMD registers.</summary>
    TrainStepInRegisters,

    /// <summary>Forward in registers with each 512-bit vector held as a pair of 256-bit ones (AVX2 without AVX-512).</summary>
    ForwardInRegisterPairs,

    /// <summary>Forward over blocks of rows: per layer a matrix product, the activation over the whole block.</summary>
    ForwardBatch,

    /// <summary>The body of BackwardBatch and TrainBatch: a block's gradient as matrix products, δᵀ·A per layer.</summary>
    AccumulateBatchGradient,
}

/// <summary>Where a method's scratch buffer lives.</summary>
internal enum ScratchLocation
{
    /// <summary>Every vector is a local or the caller's span: no buffer.</summary>
    None,

    /// <summary><c>stackalloc</c>: up to <see cref="ScratchLayout.StackBytes"/>.</summary>
    Stack,

    /// <summary>Rented from <c>ArrayPool</c> and returned in a <c>finally</c>: larger buffers.</summary>
    Pooled,
}

/// <summary>
/// A named vector in a method's scratch buffer: <c>a2 = scratch.Slice(Offset, Length)</c>. In a batched method it holds
/// the vector of every row of a block, <see cref="NetworkPlan.BatchBlockRows"/> rows long.
/// </summary>
internal readonly record struct ScratchSlice(string Name, int Offset, int Length);

/// <summary>How one generated method holds the vectors that are not locals or registers.</summary>
internal sealed record MethodPlan(GeneratedMethod Method, ScratchLocation Location, EquatableArray<ScratchSlice> Slices)
{
    /// <summary>The buffer's length in elements.</summary>
    public int ScratchLength => Slices.Count == 0 ? 0 : Slices[Slices.Count - 1].Offset + Slices[Slices.Count - 1].Length;
}

internal static class GeneratedMethodExtensions
{
    public static bool ComputesLoss(this GeneratedMethod method)
        => method is not (GeneratedMethod.Forward or GeneratedMethod.ForwardInRegisters or GeneratedMethod.ForwardInRegisterPairs
            or GeneratedMethod.ForwardBatch);

    public static bool Backpropagates(this GeneratedMethod method)
        => method is GeneratedMethod.AccumulateGradient or GeneratedMethod.TrainStep or GeneratedMethod.TrainStepInRegisters
            or GeneratedMethod.AccumulateBatchGradient;

    /// <summary>Whether the method runs blocks of rows through the batch kernels, every layer's vectors in block buffers.</summary>
    public static bool RunsBatches(this GeneratedMethod method)
        => method is GeneratedMethod.ForwardBatch or GeneratedMethod.AccumulateBatchGradient;

    public static bool RunsInRegisters(this GeneratedMethod method)
        => method is GeneratedMethod.ForwardInRegisters or GeneratedMethod.TrainStepInRegisters
            or GeneratedMethod.ForwardInRegisterPairs;
}
