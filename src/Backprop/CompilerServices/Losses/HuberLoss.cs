using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>
/// Huber's loss with δ = 1 (PyTorch's <c>HuberLoss()</c>), per output and from the error e = t − y:
/// h = ½e² where |e| ≤ 1, else |e| − ½; quadratic near the target, linear far from it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class HuberLoss
{
    /// <summary>h(e).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Term<T>(T error)
        where T : IFloatingPointIeee754<T>
    {
        T magnitude = T.Abs(error);
        T half = T.One / (T.One + T.One);
        return magnitude <= T.One ? half * error * error : magnitude - half;
    }

    /// <summary>∂h/∂y: y − t clamped to [−1, 1], which is −e clamped; NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Gradient<T>(T error)
        where T : IFloatingPointIeee754<T>
        => T.IsNaN(error) ? error : T.Clamp(-error, -T.One, T.One);
}
