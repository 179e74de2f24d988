using System;
using System.ComponentModel;
using System.Numerics;
using Backprop.Internal;

namespace Backprop.CompilerServices;

/// <summary>
/// The deterministic source of initial weights: SplitMix64 seeded from the user's seed, so the same
/// seed gives the same parameters on every platform and .NET version.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct ParameterRandom
{
    private SplitMix64 _generator;

    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public ParameterRandom(int seed) => _generator = new SplitMix64(seed);

    /// <summary>The next value, uniform in [0, 1), with 53 random bits.</summary>
    public double NextDouble() => (_generator.Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Fills <paramref name="weights"/> from U(−r, r) with r = √(6 / (fanIn + fanOut)) (Glorot and Bengio, 2010),
    /// the initialisation for sigmoid, tanh, identity and softmax layers.
    /// </summary>
    public void FillGlorotUniform<T>(Span<T> weights, int fanIn, int fanOut) where T : IFloatingPointIeee754<T>
        => FillUniform(weights, Math.Sqrt(6.0 / ((double)fanIn + fanOut)));

    /// <summary>
    /// Fills <paramref name="weights"/> from U(−r, r) with r = √(6 / fanIn) (He et al., 2015),
    /// the initialisation for ReLU and LeakyReLU layers.
    /// </summary>
    public void FillHeUniform<T>(Span<T> weights, int fanIn) where T : IFloatingPointIeee754<T>
        => FillUniform(weights, Math.Sqrt(6.0 / fanIn));

    private void FillUniform<T>(Span<T> weights, double limit) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = T.CreateTruncating((2.0 * NextDouble() - 1.0) * limit);
        }
    }
}
