using System;
using Backprop.Generator.Model;
using Backprop.Generator.Planning;

namespace Backprop.Generator.Emitting;

/// <summary>
/// The formulas the emitted comments state, one switch per kind of node, so every comment above an
/// emitted block says which formula the block implements and why it has that form.
/// </summary>
internal static class Formulas
{
    public static string DescribeActivation(Activation activation) => activation switch
    {
        Activation.Identity => "a = z",
        Activation.Sigmoid => "a = σ(z) = 1 / (1 + e⁻ᶻ)",
        Activation.Tanh => "a = tanh z",
        Activation.ReLU => "a = max(0, z)",
        Activation.LeakyReLU => "a = z if z > 0, else 0.01·z",
        Activation.Softmax => "aₖ = e^(zₖ − max z) / Σⱼ e^(zⱼ − max z), the largest logit subtracted so no exponent overflows",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    /// <summary>g′ written from the stored activation a (ReLU-family: a > 0 exactly when z > 0).</summary>
    public static string DescribeDerivative(Activation activation) => activation switch
    {
        Activation.Identity => "identity′ = 1",
        Activation.Sigmoid => "σ′ = a(1 − a)",
        Activation.Tanh => "tanh′ = 1 − a²",
        Activation.ReLU => "ReLU′ = 1 if a > 0, else 0",
        Activation.LeakyReLU => "LeakyReLU′ = 1 if a > 0, else 0.01",
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    public static string DescribeLoss(Loss loss) => loss switch
    {
        Loss.SumSquaredError => "L = Σₖ (tₖ − yₖ)²",
        Loss.HalfSumSquaredError => "L = ½ Σₖ (tₖ − yₖ)²",
        Loss.MeanSquaredError => "L = (1/n) Σₖ (tₖ − yₖ)² over the n outputs",
        Loss.CrossEntropy => "L = −Σₖ tₖ·ln yₖ, computed from the logits as Σₖ tₖ·(logsumexp(z) − zₖ) so it is finite for every finite input",
        Loss.BinaryCrossEntropy => "L = −Σₖ [tₖ·ln yₖ + (1 − tₖ)·ln(1 − yₖ)], computed from the logits as Σₖ [softplus(zₖ) − tₖ·zₖ] so it is finite for every finite input",
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };

    /// <summary>∂L/∂yₖ of a squared-error loss.</summary>
    public static string DescribeLossGradient(Loss loss) => loss switch
    {
        Loss.SumSquaredError => "−2(tₖ − yₖ)",
        Loss.HalfSumSquaredError => "−(tₖ − yₖ)",
        Loss.MeanSquaredError => "−(2/n)(tₖ − yₖ)",
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };

    public static string DescribeLossName(Loss loss) => loss switch
    {
        Loss.SumSquaredError => "sum-squared error",
        Loss.HalfSumSquaredError => "half sum-squared error",
        Loss.MeanSquaredError => "mean squared error",
        Loss.CrossEntropy => "cross-entropy",
        Loss.BinaryCrossEntropy => "binary cross-entropy",
        _ => throw new ArgumentOutOfRangeException(nameof(loss)),
    };

    /// <summary>The output δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ the emitter hard-codes for the network's activation · loss pair.</summary>
    public static string DescribeOutputDelta(NetworkPlan plan) => plan.OutputDelta switch
    {
        OutputDelta.SoftmaxCrossEntropy =>
            "δₖ = yₖ·Σⱼtⱼ − tₖ: softmax · cross-entropy, the softmax Jacobian collapses (= yₖ − tₖ when the targets sum to 1)",
        OutputDelta.SigmoidBinaryCrossEntropy =>
            "δₖ = yₖ − tₖ: sigmoid · binary cross-entropy, σ′ = y(1 − y) cancels the loss's 1/(y(1 − y))",
        OutputDelta.SoftmaxSquaredError =>
            $"δₖ = yₖ(gₖ − Σⱼ gⱼyⱼ) with gⱼ = ∂L/∂yⱼ = {DescribeLossGradient(plan.Loss).Replace('ₖ', 'ⱼ')}: softmax · {DescribeLossName(plan.Loss)}, through softmax's full Jacobian ∂yⱼ/∂zₖ = yⱼ(1[j=k] − yₖ)",
        OutputDelta.ChainRule when plan.OutputLayer.Activation == Activation.Identity =>
            $"δₖ = ∂L/∂yₖ = {DescribeLossGradient(plan.Loss)}: identity · {DescribeLossName(plan.Loss)}, g′ = 1",
        OutputDelta.ChainRule =>
            $"δₖ = ∂L/∂yₖ · g′ₖ = {DescribeLossGradient(plan.Loss)} · {DescribeDerivative(plan.OutputLayer.Activation)}: {plan.OutputLayer.Activation} · {DescribeLossName(plan.Loss)}",
        _ => throw new ArgumentOutOfRangeException(nameof(plan)),
    };

    public static string DescribeEmission(LayerPlan layer) => (layer.Reason, layer.Storage) switch
    {
        (EmissionReason.Narrow, VectorStorage.Locals) => "unrolled (too narrow for SIMD), a and δ in locals",
        (EmissionReason.Narrow, VectorStorage.Span) => "unrolled (too narrow for SIMD), a and δ in a buffer the next layer's kernels read",
        (EmissionReason.Wide, _) => "vectorised: SIMD kernels over whole rows",
        _ => "vectorised: unrolling would cross the JIT budget",
    };
}
