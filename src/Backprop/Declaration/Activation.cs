namespace Backprop;

/// <summary>The activation function g applied to a dense layer: a = g(z), z = W·a⁽ˡ⁻¹⁾ + b.</summary>
public enum Activation
{
    /// <summary>g(z) = z; g′ = 1.</summary>
    Identity = 0,

    /// <summary>g(z) = 1 / (1 + e⁻ᶻ); g′ = y(1 − y).</summary>
    Sigmoid = 1,

    /// <summary>g(z) = tanh z; g′ = 1 − y².</summary>
    Tanh = 2,

    /// <summary>g(z) = max(0, z); g′ = 1 for z &gt; 0, else 0.</summary>
    ReLU = 3,

    /// <summary>g(z) = z for z &gt; 0, else 0.01·z (PyTorch's default slope); g′ = 1 or 0.01.</summary>
    LeakyReLU = 4,

    /// <summary>
    /// yₖ = e^(zₖ − max z) / Σⱼ e^(zⱼ − max z), with the full Jacobian ∂yᵢ/∂zₖ = yᵢ(1[i=k] − yₖ).
    /// Only valid on the output layer.
    /// </summary>
    Softmax = 5,

    /// <summary>
    /// g(z) = z·Φ(z), Φ the standard normal distribution function: exact GELU, PyTorch's
    /// <c>gelu(approximate='none')</c>; g′ = Φ(z) + z·φ(z), from the kept z.
    /// </summary>
    GELU = 6,

    /// <summary>g(z) = z·σ(z) (SiLU, also called swish); g′ = σ(z)(1 + z(1 − σ(z))), from the kept z.</summary>
    SiLU = 7,

    /// <summary>g(z) = z for z &gt; 0, else eᶻ − 1 (ELU with α = 1); g′ = 1 if a &gt; 0, else a + 1 (= eᶻ).</summary>
    ELU = 8,

    /// <summary>g(z) = ln(1 + eᶻ), computed stably for every z; g′ = σ(z), from the kept z.</summary>
    Softplus = 9,
}
