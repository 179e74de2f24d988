using System;
using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Definitions;

/// <summary>Which value g′ is computed from.</summary>
internal enum DerivativeInput
{
    /// <summary>g′ = 1: nothing to multiply by.</summary>
    None,

    /// <summary>g′ from the stored activation a = g(z), so z need not be kept.</summary>
    Activation,

    /// <summary>g′ from the pre-activation z, which the backward pass then needs kept.</summary>
    PreActivation,
}

/// <summary>How a layer's weights are drawn by <c>InitializeParameters</c>.</summary>
internal enum Initializer
{
    /// <summary>U(−r, r), r = √(6 / (fan-in + fan-out)): keeps the variance of saturating and linear units.</summary>
    GlorotUniform,

    /// <summary>U(−r, r), r = √(6 / fan-in): for units that pass about half their inputs (ReLU-like).</summary>
    HeUniform,
}

/// <summary>
/// Everything the generator knows about one <see cref="Activation"/>: the only place that does. The parser asks
/// it where the activation is allowed, the planner what its derivative reads, the emitter its formula text, its
/// runtime operator and its initializer. <see cref="Of"/> is the one switch over the enum.
/// </summary>
internal sealed class ActivationDefinition
{
    private ActivationDefinition(
        Activation value,
        string formula,
        Func<string, string> applied,
        string derivativeFormula,
        DerivativeInput derivativeReads,
        string? runtimeOperator,
        Initializer initializer,
        bool isElementWise = true)
    {
        Value = value;
        Formula = formula;
        Applied = applied;
        DerivativeFormula = derivativeFormula;
        DerivativeReads = derivativeReads;
        RuntimeOperator = runtimeOperator;
        Initializer = initializer;
        IsElementWise = isElementWise;
    }

    public Activation Value { get; }

    /// <summary>The declared name, as in <c>Activation.Tanh</c>.</summary>
    public string Name => Value.ToString();

    /// <summary>The definition, for the generated comments: <c>a = σ(z) = 1 / (1 + e⁻ᶻ)</c>.</summary>
    public string Formula { get; }

    /// <summary>g applied to a named vector, for a layer's heading: <c>σ(z1)</c>.</summary>
    public Func<string, string> Applied { get; }

    /// <summary>The derivative, written from what it reads: <c>σ′ = a(1 − a)</c>.</summary>
    public string DerivativeFormula { get; }

    public DerivativeInput DerivativeReads { get; }

    /// <summary>
    /// The runtime operator struct (<c>Backprop.CompilerServices.SigmoidOperator&lt;T&gt;</c>) that carries g and g′
    /// in every form; null for the identity, which needs no code, and for softmax, which is not element-wise.
    /// </summary>
    public string? RuntimeOperator { get; }

    public Initializer Initializer { get; }

    /// <summary>False for softmax, whose outputs each depend on every logit: it is allowed on the output layer only.</summary>
    public bool IsElementWise { get; }

    /// <summary>Whether a hidden layer may use it (a softmax hidden layer is BP0006).</summary>
    public bool AllowedOnHiddenLayers => IsElementWise;

    /// <summary>The definition of <paramref name="activation"/>; an undefined value is a bug and throws.</summary>
    public static ActivationDefinition Of(Activation activation) => activation switch
    {
        Activation.Identity => Identity,
        Activation.Sigmoid => Sigmoid,
        Activation.Tanh => Tanh,
        Activation.ReLU => ReLU,
        Activation.LeakyReLU => LeakyReLU,
        Activation.Softmax => Softmax,
        Activation.GELU => GELU,
        Activation.SiLU => SiLU,
        Activation.ELU => ELU,
        Activation.Softplus => Softplus,
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "No definition for this activation."),
    };

    private static readonly ActivationDefinition Identity = new(
        Activation.Identity,
        "a = z",
        z => z,
        "identity′ = 1",
        DerivativeInput.None,
        runtimeOperator: null,
        Initializer.GlorotUniform);

    private static readonly ActivationDefinition Sigmoid = new(
        Activation.Sigmoid,
        "a = σ(z) = 1 / (1 + e⁻ᶻ)",
        z => $"σ({z})",
        "σ′ = a(1 − a)",
        DerivativeInput.Activation,
        "SigmoidOperator",
        Initializer.GlorotUniform);

    private static readonly ActivationDefinition Tanh = new(
        Activation.Tanh,
        "a = tanh z",
        z => $"tanh({z})",
        "tanh′ = 1 − a²",
        DerivativeInput.Activation,
        "TanhOperator",
        Initializer.GlorotUniform);

    private static readonly ActivationDefinition ReLU = new(
        Activation.ReLU,
        "a = max(0, z)",
        z => $"max(0, {z})",
        "ReLU′ = 1 if a > 0, else 0",
        DerivativeInput.Activation,
        "ReLUOperator",
        Initializer.HeUniform);

    private static readonly ActivationDefinition LeakyReLU = new(
        Activation.LeakyReLU,
        "a = z if z > 0, else 0.01·z",
        z => $"LeakyReLU({z}), slope 0.01 below 0",
        "LeakyReLU′ = 1 if a > 0, else 0.01",
        DerivativeInput.Activation,
        "LeakyReLUOperator",
        Initializer.HeUniform);

    private static readonly ActivationDefinition Softmax = new(
        Activation.Softmax,
        "aₖ = e^(zₖ − max z) / Σⱼ e^(zⱼ − max z), the largest logit subtracted so no exponent overflows",
        z => $"softmax({z})",
        "∂aᵢ/∂zₖ = aᵢ(1[i=k] − aₖ), the full Jacobian",
        DerivativeInput.Activation,
        runtimeOperator: null,
        Initializer.GlorotUniform,
        isElementWise: false);

    private static readonly ActivationDefinition GELU = new(
        Activation.GELU,
        "a = z·Φ(z), Φ(z) = ½(1 + erf(z/√2)) the standard normal distribution function (exact GELU)",
        z => $"{z}·Φ({z})",
        "GELU′ = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π)",
        DerivativeInput.PreActivation,
        "GELUOperator",
        Initializer.HeUniform);

    private static readonly ActivationDefinition SiLU = new(
        Activation.SiLU,
        "a = z·σ(z)",
        z => $"{z}·σ({z})",
        "SiLU′ = σ(z)(1 + z(1 − σ(z)))",
        DerivativeInput.PreActivation,
        "SiLUOperator",
        Initializer.HeUniform);

    private static readonly ActivationDefinition ELU = new(
        Activation.ELU,
        "a = z if z > 0, else eᶻ − 1 (α = 1)",
        z => $"ELU({z}), α = 1",
        "ELU′ = 1 if a > 0, else a + 1 (= eᶻ)",
        DerivativeInput.Activation,
        "ELUOperator",
        Initializer.HeUniform);

    private static readonly ActivationDefinition Softplus = new(
        Activation.Softplus,
        "a = ln(1 + eᶻ), computed as max(z, 0) + ln(1 + e^(−|z|)) so it is finite and exact for every z",
        z => $"softplus({z})",
        "softplus′ = σ(z)",
        DerivativeInput.PreActivation,
        "SoftplusOperator",
        Initializer.HeUniform);

    // Declared after the definitions it reads: static fields initialise in textual order.

    /// <summary>Every activation, in the enum's order.</summary>
    public static IReadOnlyList<ActivationDefinition> All { get; } =
        ((Activation[])Enum.GetValues(typeof(Activation))).Select(Of).ToArray();
}
