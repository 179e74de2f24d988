using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Backprop.CompilerServices;

/// <summary>The absolute error (PyTorch's <c>L1Loss()</c>), per output and from the error e = t − y: |y − t| = |e|.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class AbsoluteErrorLoss
{
    /// <summary>|e|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Term<T>(T error)
        where T : IFloatingPointIeee754<T>
        => T.Abs(error);

    /// <summary>∂|y − t|/∂y = sign(y − t) = −sign(e), and 0 where y = t (PyTorch's subgradient); NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Gradient<T>(T error)
        where T : IFloatingPointIeee754<T>
        => error > T.Zero ? -T.One : error < T.Zero ? T.One : error * T.Zero;
}
