using System;
using Backprop.Generator.Definitions;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

/// <summary>
/// The sentences the emitted comments state that combine several definitions: the output δ of an activation ·
/// loss pair and a layer's emission. Each formula itself comes from its definition.
/// </summary>
internal static class Formulas
{
    /// <summary>The output δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ the emitter hard-codes for the network's activation · loss pair.</summary>
    public static string DescribeOutputDelta(NetworkPlan plan)
    {
        LossDefinition loss = plan.LossDefinition;
        ActivationDefinition output = plan.OutputLayer.Definition;
        return plan.OutputDelta switch
        {
            OutputDelta.SoftmaxCrossEntropy or OutputDelta.SigmoidBinaryCrossEntropy => loss.Fused!.DeltaFormula,
            OutputDelta.SoftmaxJacobian =>
                $"δₖ = yₖ(gₖ − Σⱼ gⱼyⱼ) with gⱼ = ∂L/∂yⱼ = {Gradient(loss).Replace('ₖ', 'ⱼ')}: {output.Name} · {loss.Description}, " +
                "through softmax's full Jacobian ∂yⱼ/∂zₖ = yⱼ(1[j=k] − yₖ)",
            OutputDelta.ChainRule when output.DerivativeReads == DerivativeInput.None =>
                $"δₖ = ∂L/∂yₖ = {Gradient(loss)}: {output.Name} · {loss.Description}, g′ = 1",
            OutputDelta.ChainRule =>
                $"δₖ = ∂L/∂yₖ · g′ₖ = {Gradient(loss)} · {output.DerivativeFormula}: {output.Name} · {loss.Description}",
            _ => throw new ArgumentOutOfRangeException(nameof(plan), plan.OutputDelta, "No description for this output δ."),
        };
    }

    public static string DescribeEmission(LayerPlan layer) => (layer.Reason, layer.Storage) switch
    {
        (EmissionReason.Narrow, VectorStorage.Locals) => "unrolled (too narrow for SIMD), in locals",
        (EmissionReason.Narrow, VectorStorage.Span) => "unrolled (too narrow for SIMD), in a buffer",
        (EmissionReason.Wide, _) => "vectorised: SIMD kernels over whole rows",
        _ => "vectorised: unrolling would pass the JIT budget",
    };

    private static string Gradient(LossDefinition loss)
        => loss.GradientFormula ?? throw new InvalidOperationException($"{loss.Name} has no separate ∂L/∂y: it is fused with its output activation.");
}
