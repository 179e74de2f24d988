using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Diagnostics;
using Backprop.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Backprop.Generator.Definitions;

/// <summary>What a loss is computed from.</summary>
internal enum LossInput
{
    /// <summary>The outputs y, through the error eₖ = tₖ − yₖ.</summary>
    Outputs,

    /// <summary>The logits z of the output layer: the cross-entropies, which stay finite that way.</summary>
    Logits,
}

/// <summary>The output δ⁽ᴸ⁾ = ∂L/∂z⁽ᴸ⁾ the emitter writes for an output activation · loss pair.</summary>
internal enum OutputDelta
{
    /// <summary>Softmax · cross-entropy: δₖ = yₖ·Σⱼtⱼ − tₖ.</summary>
    SoftmaxCrossEntropy,

    /// <summary>Sigmoid · binary cross-entropy: δₖ = yₖ − tₖ.</summary>
    SigmoidBinaryCrossEntropy,

    /// <summary>Softmax · a loss of the outputs: δₖ = yₖ(gₖ − Σⱼ gⱼyⱼ) with gⱼ = ∂L/∂yⱼ, softmax's full Jacobian.</summary>
    SoftmaxJacobian,

    /// <summary>An element-wise activation · a loss of the outputs: δₖ = ∂L/∂yₖ · g′ₖ.</summary>
    ChainRule,
}

/// <summary>
/// Everything the generator knows about one <see cref="Loss"/>: the only place that does. Its formula, what it reads,
/// each output's term and ∂L/∂y as C#, how the sum is normalised, and, for the losses fused with one output
/// activation, that activation and the fused δ. <see cref="Of"/> is the one switch over the enum.
/// </summary>
internal sealed class LossDefinition
{
    private LossDefinition(
        Loss value,
        string description,
        string formula,
        LossInput reads,
        Func<ExpressionSyntax, string, string, string> term,
        Func<ExpressionSyntax, string?>? normalization = null,
        string? gradientFormula = null,
        Func<ExpressionSyntax, string, string>? gradient = null,
        FusedOutput? fused = null)
    {
        Value = value;
        Description = description;
        Formula = formula;
        Reads = reads;
        Term = term;
        Normalization = normalization ?? (_ => null);
        GradientFormula = gradientFormula;
        Gradient = gradient;
        Fused = fused;
    }

    public Loss Value { get; }

    /// <summary>The declared name, as in <c>Loss.CrossEntropy</c>.</summary>
    public string Name => Value.ToString();

    /// <summary>In words, for comments: <c>mean squared error</c>.</summary>
    public string Description { get; }

    /// <summary>The definition, for the generated comments: <c>L = Σₖ (tₖ − yₖ)²</c>.</summary>
    public string Formula { get; }

    public LossInput Reads { get; }

    /// <summary>
    /// One output's term of the sum, as C#: from the error eₖ = tₖ − yₖ and the target for a loss of the outputs,
    /// from the logit zₖ and the target for a loss of the logits (which may also read <c>logSumExp</c>).
    /// </summary>
    public Func<ExpressionSyntax, string, string, string> Term { get; }

    /// <summary>The statement that turns the sum of the terms into L (<c>loss /= OutputCount;</c>), or null.</summary>
    public Func<ExpressionSyntax, string?> Normalization { get; }

    /// <summary>∂L/∂yₖ in words (<c>−2(tₖ − yₖ)</c>); null for a loss fused with its output activation.</summary>
    public string? GradientFormula { get; }

    /// <summary>∂L/∂yₖ as C# from the error eₖ = tₖ − yₖ; null for a loss fused with its output activation.</summary>
    public Func<ExpressionSyntax, string, string>? Gradient { get; }

    /// <summary>For a loss fused with one output activation: that activation and its δ; null for the others.</summary>
    public FusedOutput? Fused { get; }

    /// <summary>Whether the softmax must also return logsumexp(z) = max z + ln Σⱼ e^(zⱼ − max z) for the terms.</summary>
    public bool ReadsLogSumExp => Value == Loss.CrossEntropy;

    /// <summary>The δ⁽ᴸ⁾ of this loss with <paramref name="output"/> as the output activation.</summary>
    public OutputDelta OutputDeltaWith(ActivationDefinition output)
        => Fused?.Delta ?? (output.IsElementWise ? OutputDelta.ChainRule : OutputDelta.SoftmaxJacobian);

    /// <summary>The definition of <paramref name="loss"/>; an undefined value is a bug and throws.</summary>
    public static LossDefinition Of(Loss loss) => loss switch
    {
        Loss.SumSquaredError => SumSquaredError,
        Loss.HalfSumSquaredError => HalfSumSquaredError,
        Loss.MeanSquaredError => MeanSquaredError,
        Loss.CrossEntropy => CrossEntropy,
        Loss.BinaryCrossEntropy => BinaryCrossEntropy,
        Loss.Huber => Huber,
        Loss.MeanAbsoluteError => MeanAbsoluteError,
        _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "No definition for this loss."),
    };

    private static string Squared(ExpressionSyntax syntax, string error, string target) => $"{error} * {error}";

    private static readonly LossDefinition SumSquaredError = new(
        Loss.SumSquaredError,
        "sum-squared error",
        "L = Σₖ (tₖ − yₖ)²",
        LossInput.Outputs,
        Squared,
        gradientFormula: "−2(tₖ − yₖ)",
        gradient: (syntax, error) => $"{syntax.Literal("-2")} * {error}");

    private static readonly LossDefinition HalfSumSquaredError = new(
        Loss.HalfSumSquaredError,
        "half sum-squared error",
        "L = ½ Σₖ (tₖ − yₖ)²",
        LossInput.Outputs,
        Squared,
        normalization: syntax => $"loss *= {syntax.Literal("0.5")};",
        gradientFormula: "−(tₖ − yₖ)",
        gradient: (syntax, error) => $"-{error}");

    private static readonly LossDefinition MeanSquaredError = new(
        Loss.MeanSquaredError,
        "mean squared error",
        "L = (1/n) Σₖ (tₖ − yₖ)² over the n outputs",
        LossInput.Outputs,
        Squared,
        normalization: MeanOverOutputs,
        gradientFormula: "−(2/n)(tₖ − yₖ)",
        gradient: (syntax, error) => $"({syntax.Literal("-2")} / {GeneratedMembers.OutputCount}) * {error}");

    private static readonly LossDefinition CrossEntropy = new(
        Loss.CrossEntropy,
        "cross-entropy",
        "L = −Σₖ tₖ·ln yₖ, computed from the logits as Σₖ tₖ·(logsumexp(z) − zₖ) so it is finite for every finite input",
        LossInput.Logits,
        (syntax, z, target) => $"{target} * (logSumExp - {z})",
        fused: new FusedOutput(
            Activation.Softmax,
            OutputDelta.SoftmaxCrossEntropy,
            "δₖ = yₖ·Σⱼtⱼ − tₖ: softmax · cross-entropy, the softmax Jacobian collapses (= yₖ − tₖ when the targets sum to 1)",
            DiagnosticDescriptors.CrossEntropyWithoutSoftmax));

    private static readonly LossDefinition BinaryCrossEntropy = new(
        Loss.BinaryCrossEntropy,
        "binary cross-entropy",
        "L = −Σₖ [tₖ·ln yₖ + (1 − tₖ)·ln(1 − yₖ)], computed from the logits as Σₖ [softplus(zₖ) − tₖ·zₖ] so it is finite for every finite input",
        LossInput.Logits,
        (syntax, z, target) => $"{syntax.Runtime("BinaryCrossEntropyLoss")}.Term({z}, {target})",
        fused: new FusedOutput(
            Activation.Sigmoid,
            OutputDelta.SigmoidBinaryCrossEntropy,
            "δₖ = yₖ − tₖ: sigmoid · binary cross-entropy, σ′ = y(1 − y) cancels the loss's 1/(y(1 − y))",
            DiagnosticDescriptors.BinaryCrossEntropyWithoutSigmoid));

    private static readonly LossDefinition Huber = new(
        Loss.Huber,
        "Huber loss",
        "L = (1/n) Σₖ h(yₖ − tₖ) over the n outputs, h(r) = ½r² if |r| ≤ 1, else |r| − ½ (δ = 1)",
        LossInput.Outputs,
        (syntax, error, target) => $"{syntax.Runtime("HuberLoss")}.Term({error})",
        normalization: MeanOverOutputs,
        gradientFormula: "clamp(yₖ − tₖ, −1, 1)/n",
        gradient: (syntax, error) => $"({syntax.Runtime("HuberLoss")}.Gradient({error}) / {GeneratedMembers.OutputCount})");

    private static readonly LossDefinition MeanAbsoluteError = new(
        Loss.MeanAbsoluteError,
        "mean absolute error",
        "L = (1/n) Σₖ |yₖ − tₖ| over the n outputs",
        LossInput.Outputs,
        (syntax, error, target) => $"{syntax.Runtime("AbsoluteErrorLoss")}.Term({error})",
        normalization: MeanOverOutputs,
        gradientFormula: "sign(yₖ − tₖ)/n, 0 where yₖ = tₖ",
        gradient: (syntax, error) => $"({syntax.Runtime("AbsoluteErrorLoss")}.Gradient({error}) / {GeneratedMembers.OutputCount})");

    private static string MeanOverOutputs(ExpressionSyntax syntax) => $"loss /= {GeneratedMembers.OutputCount};";

    // Declared after the definitions it reads: static fields initialise in textual order.

    /// <summary>Every loss, in the enum's order.</summary>
    public static IReadOnlyList<LossDefinition> All { get; } =
        ((Loss[])Enum.GetValues(typeof(Loss))).Select(Of).ToArray();
}

/// <summary>A loss that is only defined with one output activation, and the δ the pair fuses into.</summary>
/// <param name="Activation">The output activation the loss requires.</param>
/// <param name="Delta">The fused δ⁽ᴸ⁾.</param>
/// <param name="DeltaFormula">The fused δ in words, for the generated comments.</param>
/// <param name="MissingActivation">The error when the output layer has another activation.</param>
internal sealed record FusedOutput(Activation Activation, OutputDelta Delta, string DeltaFormula, DiagnosticDescriptor MissingActivation);
