namespace Backprop;

/// <summary>
/// The loss L(y, t) between the network's output y and the target t, for one sample.
/// Every loss is exact: no constant is absorbed into the learning rate.
/// </summary>
public enum Loss
{
    /// <summary>L = Σₖ (tₖ − yₖ)²; ∂L/∂yₖ = −2(tₖ − yₖ).</summary>
    SumSquaredError = 0,

    /// <summary>L = ½ Σₖ (tₖ − yₖ)²; ∂L/∂yₖ = −(tₖ − yₖ).</summary>
    HalfSumSquaredError = 1,

    /// <summary>L = (1/n) Σₖ (tₖ − yₖ)² over the n outputs; ∂L/∂yₖ = −(2/n)(tₖ − yₖ).</summary>
    MeanSquaredError = 2,

    /// <summary>
    /// L = −Σₖ tₖ·ln yₖ. Requires a <see cref="Activation.Softmax"/> output; computed from the logits
    /// as Σₖ tₖ·(logsumexp(z) − zₖ), so it is finite for every finite input.
    /// </summary>
    CrossEntropy = 3,

    /// <summary>
    /// L = −Σₖ [tₖ·ln yₖ + (1 − tₖ)·ln(1 − yₖ)]. Requires a <see cref="Activation.Sigmoid"/> output;
    /// computed from the logits as Σₖ [softplus(zₖ) − tₖ·zₖ], so it is finite for every finite input.
    /// </summary>
    BinaryCrossEntropy = 4,

    /// <summary>
    /// L = (1/n) Σₖ h(yₖ − tₖ) over the n outputs, with h(r) = ½r² if |r| ≤ 1, else |r| − ½ (Huber's loss with
    /// δ = 1, PyTorch's <c>HuberLoss()</c>); ∂L/∂yₖ = clamp(yₖ − tₖ, −1, 1)/n. Quadratic near the target,
    /// linear far from it, so outliers pull less than with squared error.
    /// </summary>
    Huber = 5,

    /// <summary>
    /// L = (1/n) Σₖ |yₖ − tₖ| over the n outputs (PyTorch's <c>L1Loss()</c>); ∂L/∂yₖ = sign(yₖ − tₖ)/n, and 0 where
    /// yₖ = tₖ.
    /// </summary>
    MeanAbsoluteError = 6,
}
