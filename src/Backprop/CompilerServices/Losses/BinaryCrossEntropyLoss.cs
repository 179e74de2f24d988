using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// Binary cross-entropy of one output, from its logit: −[t·ln σ(z) + (1 − t)·ln(1 − σ(z))] = softplus(z) − t·z,
/// finite for every finite z. Its δ is fused with the sigmoid output (δ = y − t), so it has no separate gradient.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BinaryCrossEntropyLoss
{
    /// <summary>softplus(z) − t·z.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Term<T>(T z, T target)
        where T : IFloatingPointIeee754<T>
        => ElementaryFunctions.Softplus(z) - (target * z);
}
