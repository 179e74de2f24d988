using System.Numerics.Tensors;

namespace Backprop.Benchmarks;

/// <summary>
/// Baseline 2: the best a hand-written loop MLP does without generating code. One flat parameter array in the
/// generated layout, a loop over neurons with <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// for each row, the layer's activation with TensorPrimitives (Sigmoid, Tanh, Max, SoftMax), δ propagated
/// and weights updated with TensorPrimitives.MultiplyAdd over rows (axpy). Same math and loss as the
/// generated code; no allocation after construction.
/// </summary>
public sealed class TensorPrimitivesMlp
{
    private readonly Shape _shape;
    private readonly float[] _parameters;
    private readonly float[] _gradient;
    private readonly float[][] _z; // [layer][neuron]
    private readonly float[][] _a; // [layer][neuron], the layer's outputs
    private readonly float[][] _delta; // [layer][neuron]

    public TensorPrimitivesMlp(Shape shape)
    {
        _shape = shape;
        _parameters = new float[shape.ParameterCount];
        _gradient = new float[shape.ParameterCount];
        _z = new float[shape.LayerCount][];
        _a = new float[shape.LayerCount][];
        _delta = new float[shape.LayerCount][];
        for (int l = 0; l < shape.LayerCount; l++)
        {
            _z[l] = new float[shape.Sizes[l + 1]];
            _a[l] = new float[shape.Sizes[l + 1]];
            _delta[l] = new float[shape.Sizes[l + 1]];
        }
    }

    public Span<float> Parameters => _parameters;

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        Propagate(input);
        _a[^1].CopyTo(output);
    }

    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        Propagate(input);
        float loss = ComputeLoss(target);
        Backpropagate(target);
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            ReadOnlySpan<float> previous = l == 0 ? input : _a[l - 1];
            int inputs = _shape.Sizes[l];
            Span<float> weights = _parameters.AsSpan(_shape.WeightOffset(l), _shape.WeightCount(l));
            float[] delta = _delta[l];
            for (int j = 0; j < delta.Length; j++)
            {
                Span<float> row = weights.Slice(j * inputs, inputs);
                TensorPrimitives.MultiplyAdd(previous, -learningRate * delta[j], row, row);
            }

            Span<float> biases = _parameters.AsSpan(_shape.BiasOffset(l), delta.Length);
            TensorPrimitives.MultiplyAdd(delta, -learningRate, biases, biases);
        }

        return loss;
    }

    public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate)
    {
        int rows = inputs.Length / _shape.InputCount;
        Array.Clear(_gradient);
        float lossSum = 0f;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> input = inputs.Slice(r * _shape.InputCount, _shape.InputCount);
            ReadOnlySpan<float> target = targets.Slice(r * _shape.OutputCount, _shape.OutputCount);
            Propagate(input);
            lossSum += ComputeLoss(target);
            Backpropagate(target);
            for (int l = 0; l < _shape.LayerCount; l++)
            {
                ReadOnlySpan<float> previous = l == 0 ? input : _a[l - 1];
                int count = _shape.Sizes[l];
                Span<float> weightGradient = _gradient.AsSpan(_shape.WeightOffset(l), _shape.WeightCount(l));
                float[] delta = _delta[l];
                for (int j = 0; j < delta.Length; j++)
                {
                    Span<float> row = weightGradient.Slice(j * count, count);
                    TensorPrimitives.MultiplyAdd(previous, delta[j], row, row);
                }

                Span<float> biasGradient = _gradient.AsSpan(_shape.BiasOffset(l), delta.Length);
                TensorPrimitives.Add(biasGradient, delta, biasGradient);
            }
        }

        TensorPrimitives.MultiplyAdd(_gradient, -learningRate / rows, _parameters, _parameters);
        return lossSum / rows;
    }

    private void Propagate(ReadOnlySpan<float> input)
    {
        ReadOnlySpan<float> previous = input;
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            int inputs = _shape.Sizes[l];
            ReadOnlySpan<float> weights = _parameters.AsSpan(_shape.WeightOffset(l), _shape.WeightCount(l));
            ReadOnlySpan<float> biases = _parameters.AsSpan(_shape.BiasOffset(l), _z[l].Length);
            float[] z = _z[l], a = _a[l];
            for (int j = 0; j < z.Length; j++)
            {
                z[j] = biases[j] + TensorPrimitives.Dot(weights.Slice(j * inputs, inputs), previous);
            }

            switch (_shape.Activations[l])
            {
                case Activation.Identity: z.CopyTo(a, 0); break;
                case Activation.Sigmoid: TensorPrimitives.Sigmoid(z, a); break;
                case Activation.Tanh: TensorPrimitives.Tanh(z, a); break;
                case Activation.ReLU: TensorPrimitives.Max(z, 0f, a); break;
                case Activation.Softmax: TensorPrimitives.SoftMax(z, a); break;
                case Activation.LeakyReLU:
                    for (int j = 0; j < z.Length; j++)
                    {
                        a[j] = z[j] > 0f ? z[j] : 0.01f * z[j];
                    }

                    break;
                default: throw new NotSupportedException(_shape.Activations[l].ToString());
            }

            previous = a;
        }
    }

    private float ComputeLoss(ReadOnlySpan<float> target)
    {
        float[] y = _a[^1];
        if (_shape.Loss == Loss.SumSquaredError)
        {
            Span<float> error = _delta[^1]; // overwritten by Backpropagate
            TensorPrimitives.Subtract(target, y, error);
            return TensorPrimitives.SumOfSquares<float>(error);
        }

        if (_shape.Loss != Loss.CrossEntropy)
        {
            throw new NotSupportedException(_shape.Loss.ToString());
        }

        // −Σ tₖ·ln yₖ from the logits: Σ tₖ·(logsumexp(z) − zₖ)
        float[] z = _z[^1];
        float max = TensorPrimitives.Max<float>(z);
        float sum = 0f;
        foreach (float zk in z)
        {
            sum += MathF.Exp(zk - max);
        }

        float logSumExp = max + MathF.Log(sum);
        return logSumExp * TensorPrimitives.Sum(target) - TensorPrimitives.Dot(target, z);
    }

    private void Backpropagate(ReadOnlySpan<float> target)
    {
        int last = _shape.LayerCount - 1;
        float[] y = _a[last], z = _z[last], outputDelta = _delta[last];
        Activation output = _shape.Activations[last];
        if (_shape.Loss == Loss.CrossEntropy && output == Activation.Softmax)
        {
            // δ = y·Σt − t
            TensorPrimitives.Multiply(y, TensorPrimitives.Sum(target), outputDelta);
            TensorPrimitives.Subtract(outputDelta, target, outputDelta);
        }
        else if (_shape.Loss == Loss.SumSquaredError && output != Activation.Softmax)
        {
            for (int k = 0; k < y.Length; k++)
            {
                outputDelta[k] = -2f * (target[k] - y[k]) * Derivative(output, z[k], y[k]);
            }
        }
        else
        {
            throw new NotSupportedException($"{output} · {_shape.Loss}");
        }

        for (int l = last - 1; l >= 0; l--)
        {
            // δ⁽ˡ⁾ = g′ ⊙ (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾), accumulated row by row of W⁽ˡ⁺¹⁾
            float[] delta = _delta[l], above = _delta[l + 1];
            int count = delta.Length;
            ReadOnlySpan<float> weightsAbove = _parameters.AsSpan(_shape.WeightOffset(l + 1), _shape.WeightCount(l + 1));
            Array.Clear(delta);
            for (int k = 0; k < above.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(weightsAbove.Slice(k * count, count), above[k], delta, delta);
            }

            Activation activation = _shape.Activations[l];
            float[] zl = _z[l], al = _a[l];
            for (int j = 0; j < count; j++)
            {
                delta[j] *= Derivative(activation, zl[j], al[j]);
            }
        }
    }

    private static float Derivative(Activation activation, float z, float a) => activation switch
    {
        Activation.Identity => 1f,
        Activation.Sigmoid => a * (1f - a),
        Activation.Tanh => 1f - a * a,
        Activation.ReLU => z > 0f ? 1f : 0f,
        Activation.LeakyReLU => z > 0f ? 1f : 0.01f,
        _ => throw new NotSupportedException(activation.ToString()),
    };
}
