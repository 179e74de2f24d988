using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Backprop.Optimizers;

/// <summary>The argument checks the optimizers share; the throws stay out of the update loops.</summary>
internal static class OptimizerGuard
{
    public static int ParameterCount(int parameterCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(parameterCount);
        return parameterCount;
    }

    public static void Spans(int parameterCount, int parametersLength, int gradientLength)
    {
        if (parametersLength != parameterCount)
        {
            ThrowLength(parameterCount, parametersLength, "parameters");
        }

        if (gradientLength != parameterCount)
        {
            ThrowLength(parameterCount, gradientLength, "gradient");
        }
    }

    /// <summary>A finite value ≥ 0 (learning rate, weight decay).</summary>
    public static T NonNegative<T>(T value, string name)
        where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value) || T.IsNegative(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
        }

        return value;
    }

    /// <summary>A finite value &gt; 0 (epsilon).</summary>
    public static T Positive<T>(T value, string name)
        where T : IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value) || value <= T.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
        }

        return value;
    }

    /// <summary>A decay rate in [0, 1) (momentum, Adam's β₁ and β₂).</summary>
    public static T UnitInterval<T>(T value, string name)
        where T : IFloatingPointIeee754<T>
    {
        if (!(value >= T.Zero && value < T.One))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
        }

        return value;
    }

    [DoesNotReturn]
    private static void ThrowLength(int expected, int actual, string name)
        => throw new ArgumentException(
            $"Expected a span of length {expected} (the optimizer's ParameterCount), but '{name}' has length {actual}.",
            name);
}
