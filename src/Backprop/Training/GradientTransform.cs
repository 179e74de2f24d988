using System;
using System.Linq;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Backprop.Interop;

namespace Backprop.Training;

/// <summary>
/// What the trainer does to a batch's mean gradient between <see cref="BlockGradient{T}.Compute(ReadOnlySpan{T}, ReadOnlySpan{T}, int, int)"/>
/// and the optimizer's step, in this order: the coupled L2 and L1 penalties' gradients added (g += λ₂·θ + λ₁·sign(θ)),
/// over the weights or every parameter; then clipping by global norm (PyTorch's <c>clip_grad_norm_</c>).
/// </summary>
/// <remarks>
/// It runs on the calling thread, between the gradient's sum and the step, so its bits never depend on the number of
/// threads. The norm is accumulated in double with <see cref="Vector{T}"/> lanes (float widened to double), then the
/// lanes and the scalar tail are added in a fixed order.
/// </remarks>
internal sealed class GradientTransform<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>PyTorch's <c>clip_grad_norm_</c>: the factor is c / (‖g‖ + 10⁻⁶).</summary>
    public const double ClipEpsilon = 1e-6;

    /// <summary>The [start, start + length) ranges of the weights (every layer's W, not its b); null when the architecture does not tell.</summary>
    private readonly (int Start, int Length)[]? _weights;
    public GradientTransform(INetwork<T> network)
    {
        _weights = WeightRanges(network);
    }

    /// <summary>Whether the network's <see cref="INetwork{T}.Architecture"/> says which parameters are weights.</summary>
    public bool KnowsWeights => _weights is not null;

    /// <summary>
    /// The weights of each layer, W (out × in) then b (out) layer after layer, when <paramref name="network"/>'s
    /// architecture parses and implies its parameter count; null otherwise.
    /// </summary>
    public static (int Start, int Length)[]? WeightRanges(INetwork<T> network)
        => DenseLayerLayout.TryOf(network)?.Layers.Select(layer => (layer.WeightOffset, layer.Inputs * layer.Outputs)).ToArray();

    /// <summary>
    /// Adds the penalties' gradients to <paramref name="gradient"/> and clips it; does nothing when every setting is off.
    /// </summary>
    /// <param name="gradient">The batch's mean gradient, changed in place.</param>
    /// <param name="parameters">θ, before the step.</param>
    /// <param name="l1">λ₁ ≥ 0.</param>
    /// <param name="l2">λ₂ ≥ 0.</param>
    /// <param name="biases">Whether every parameter is penalised; otherwise only the weights (which must be known).</param>
    /// <param name="clipNorm">c &gt; 0, or null for no clipping.</param>
    public void Apply(Span<T> gradient, ReadOnlySpan<T> parameters, double l1, double l2, bool biases, double? clipNorm)
    {
        if (l1 > 0 || l2 > 0)
        {
            T lambda1 = T.CreateTruncating(l1);
            T lambda2 = T.CreateTruncating(l2);
            if (biases || _weights is null)
            {
                Regularize(gradient, parameters, lambda1, lambda2);
            }
            else
            {
                foreach ((int start, int length) in _weights)
                {
                    Regularize(gradient.Slice(start, length), parameters.Slice(start, length), lambda1, lambda2);
                }
            }
        }

        if (clipNorm is double c)
        {
            double norm = Math.Sqrt(SumOfSquares(gradient));
            double factor = c / (norm + ClipEpsilon);
            if (factor < 1)
            {
                TensorPrimitives.Multiply(gradient, T.CreateTruncating(factor), gradient);
            }
        }
    }

    /// <summary>g += λ₂·θ, then g += λ₁·sign(θ) (sign(0) = 0), element by element.</summary>
    private static void Regularize(Span<T> gradient, ReadOnlySpan<T> parameters, T lambda1, T lambda2)
    {
        if (lambda2 != T.Zero)
        {
            TensorPrimitives.MultiplyAdd(parameters, lambda2, gradient, gradient);
        }

        if (lambda1 == T.Zero)
        {
            return;
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && gradient.Length >= Vector<T>.Count)
        {
            ref T g = ref MemoryMarshal.GetReference(gradient);
            ref T theta = ref MemoryMarshal.GetReference(parameters);
            var plus = new Vector<T>(lambda1);
            var minus = new Vector<T>(-lambda1);
            for (; i <= gradient.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> t = Vector.LoadUnsafe(ref theta, (nuint)i);
                Vector<T> penalty = Vector.ConditionalSelect(Vector.GreaterThan(t, Vector<T>.Zero), plus, Vector<T>.Zero)
                    + Vector.ConditionalSelect(Vector.LessThan(t, Vector<T>.Zero), minus, Vector<T>.Zero);
                (Vector.LoadUnsafe(ref g, (nuint)i) + penalty).StoreUnsafe(ref g, (nuint)i);
            }
        }

        for (; i < gradient.Length; i++)
        {
            T t = parameters[i];
            if (t > T.Zero)
            {
                gradient[i] += lambda1;
            }
            else if (t < T.Zero)
            {
                gradient[i] -= lambda1;
            }
        }
    }

    /// <summary>Σ gᵢ², in double: one double accumulator per vector lane (float widened), then the lanes and the tail in order.</summary>
    public static double SumOfSquares(ReadOnlySpan<T> values)
    {
        if (typeof(T) == typeof(float))
        {
            return SumOfSquares(MemoryMarshal.Cast<T, float>(values));
        }

        if (typeof(T) == typeof(double))
        {
            return SumOfSquares(MemoryMarshal.Cast<T, double>(values));
        }

        double sum = 0;
        foreach (T value in values)
        {
            double v = double.CreateTruncating(value);
            sum += v * v;
        }

        return sum;
    }

    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
            ref float start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref start, (nuint)i), out Vector<double> lo, out Vector<double> hi);
                low += lo * lo;
                high += hi * hi;
            }

            sum = AddLanes(low + high);
        }

        for (; i < values.Length; i++)
        {
            double v = values[i];
            sum += v * v;
        }

        return sum;
    }

    private static double SumOfSquares(ReadOnlySpan<double> values)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<double>.Count)
        {
            Vector<double> lanes = Vector<double>.Zero;
            ref double start = ref MemoryMarshal.GetReference(values);
            for (; i <= values.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                Vector<double> v = Vector.LoadUnsafe(ref start, (nuint)i);
                lanes += v * v;
            }

            sum = AddLanes(lanes);
        }

        for (; i < values.Length; i++)
        {
            sum += values[i] * values[i];
        }

        return sum;
    }

    /// <summary>The lanes added from the first to the last, an order fixed for every width.</summary>
    private static double AddLanes(Vector<double> lanes)
    {
        double sum = 0;
        for (int lane = 0; lane < Vector<double>.Count; lane++)
        {
            sum += lanes[lane];
        }

        return sum;
    }
}
