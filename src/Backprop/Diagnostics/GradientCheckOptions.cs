using System;

namespace Backprop.Diagnostics;

/// <summary>How <see cref="GradientCheck.Run{T}"/> differentiates numerically and measures the error.</summary>
public sealed record GradientCheckOptions
{
    private readonly double? _step;
    private readonly double? _floor;

    /// <summary>
    /// The step h of the central difference (L(θᵢ + h) − L(θᵢ − h)) / 2h, scaled by max(1, |θᵢ|). Null (the default)
    /// picks about ∛ε of the precision, which balances truncation error (∝ h²) against rounding (∝ ε/h): 1e-5 for
    /// double, 5e-3 for float.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a finite number &gt; 0.</exception>
    public double? Step
    {
        get => _step;
        init => _step = value is null || (double.IsFinite(value.Value) && value > 0)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Step), value, "Step must be a finite number > 0, or null.");
    }

    /// <summary>
    /// The smallest denominator of the relative error |a − n| / max(|a|, |n|, floor): below it the error is measured
    /// absolutely, since differences of the loss cannot confirm a gradient smaller than their own rounding (about
    /// ε·|L|/h: 1e-11 for double, 1e-5 for float). Null (the default) picks 1e-4 for double and 1e-2 for float, so that
    /// rounding stays near 1e-7 and 1e-3 of the floor; a wrong formula, off by the size of the gradient, still shows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a finite number &gt; 0.</exception>
    public double? Floor
    {
        get => _floor;
        init => _floor = value is null || (double.IsFinite(value.Value) && value > 0)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Floor), value, "Floor must be a finite number > 0, or null.");
    }
}
