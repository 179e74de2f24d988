namespace Backprop.Benchmarks;

/// <summary>
/// Baseline 1: the textbook multilayer perceptron. Jagged arrays (<c>float[][]</c> weights per layer, one row
/// per neuron), scalar loops, per-sample backpropagation as it is derived on paper: forward storing every
/// layer's activations, δ of the output, δ of each hidden layer from the one above, then the update. Same
/// math and same loss as the generated code (the README's tables); buffers allocated once, in the constructor.
/// </summary>
public sealed class TextbookMlp
{
    private readonly Shape _shape;
    private readonly float[][][] _weights; // [layer][neuron][input]
    private readonly float[][] _biases; // [layer][neuron]
    private readonly float[][] _z; // [layer][neuron], pre-activations
    private readonly float[][] _a; // [layer + 1][neuron], _a[0] is the input
    private readonly float[][] _delta; // [layer][neuron], ∂L/∂z
    private readonly float[][][] _weightGradients;
    private readonly float[][] _biasGradients;

    public TextbookMlp(Shape shape)
    {
        _shape = shape;
        int layers = shape.LayerCount;
        _weights = new float[layers][][];
        _weightGradients = new float[layers][][];
        _biases = new float[layers][];
        _biasGradients = new float[layers][];
        _z = new float[layers][];
        _delta = new float[layers][];
        _a = new float[layers + 1][];
        _a[0] = new float[shape.Sizes[0]];
        for (int l = 0; l < layers; l++)
        {
            int inputs = shape.Sizes[l], outputs = shape.Sizes[l + 1];
            _weights[l] = new float[outputs][];
            _weightGradients[l] = new float[outputs][];
            for (int j = 0; j < outputs; j++)
            {
                _weights[l][j] = new float[inputs];
                _weightGradients[l][j] = new float[inputs];
            }

            _biases[l] = new float[outputs];
            _biasGradients[l] = new float[outputs];
            _z[l] = new float[outputs];
            _delta[l] = new float[outputs];
            _a[l + 1] = new float[outputs];
        }
    }

    /// <summary>Copies parameters from the generated layout (per layer: W row-major by output neuron, then b).</summary>
    public void SetParameters(ReadOnlySpan<float> parameters)
    {
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            int inputs = _shape.Sizes[l], offset = _shape.WeightOffset(l);
            for (int j = 0; j < _weights[l].Length; j++)
            {
                parameters.Slice(offset + j * inputs, inputs).CopyTo(_weights[l][j]);
            }

            parameters.Slice(_shape.BiasOffset(l), _biases[l].Length).CopyTo(_biases[l]);
        }
    }

    /// <summary>The parameters in the generated layout.</summary>
    public float[] GetParameters()
    {
        float[] parameters = new float[_shape.ParameterCount];
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            int inputs = _shape.Sizes[l], offset = _shape.WeightOffset(l);
            for (int j = 0; j < _weights[l].Length; j++)
            {
                _weights[l][j].CopyTo(parameters.AsSpan(offset + j * inputs));
            }

            _biases[l].CopyTo(parameters.AsSpan(_shape.BiasOffset(l)));
        }

        return parameters;
    }

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        Propagate(input);
        _a[^1].CopyTo(output);
    }

    /// <summary>Per-sample SGD: forward, backpropagate, update every weight; returns the loss before the update.</summary>
    public float TrainStep(ReadOnlySpan<float> input, ReadOnlySpan<float> target, float learningRate)
    {
        Propagate(input);
        float loss = ComputeLoss(target);
        Backpropagate(target);
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            float[] previous = _a[l];
            for (int j = 0; j < _weights[l].Length; j++)
            {
                float[] row = _weights[l][j];
                float delta = _delta[l][j];
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] -= learningRate * delta * previous[i];
                }

                _biases[l][j] -= learningRate * delta;
            }
        }

        return loss;
    }

    /// <summary>Mini-batch SGD: the gradient summed over the rows, one update with its mean; returns the mean loss.</summary>
    public float TrainBatch(ReadOnlySpan<float> inputs, ReadOnlySpan<float> targets, float learningRate)
    {
        int rows = inputs.Length / _shape.InputCount;
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            foreach (float[] row in _weightGradients[l])
            {
                Array.Clear(row);
            }

            Array.Clear(_biasGradients[l]);
        }

        float lossSum = 0f;
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> target = targets.Slice(r * _shape.OutputCount, _shape.OutputCount);
            Propagate(inputs.Slice(r * _shape.InputCount, _shape.InputCount));
            lossSum += ComputeLoss(target);
            Backpropagate(target);
            for (int l = 0; l < _shape.LayerCount; l++)
            {
                float[] previous = _a[l];
                for (int j = 0; j < _weights[l].Length; j++)
                {
                    float[] gradient = _weightGradients[l][j];
                    float delta = _delta[l][j];
                    for (int i = 0; i < gradient.Length; i++)
                    {
                        gradient[i] += delta * previous[i];
                    }

                    _biasGradients[l][j] += delta;
                }
            }
        }

        float step = learningRate / rows;
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            for (int j = 0; j < _weights[l].Length; j++)
            {
                float[] row = _weights[l][j], gradient = _weightGradients[l][j];
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] -= step * gradient[i];
                }

                _biases[l][j] -= step * _biasGradients[l][j];
            }
        }

        return lossSum / rows;
    }

    private void Propagate(ReadOnlySpan<float> input)
    {
        input.CopyTo(_a[0]);
        for (int l = 0; l < _shape.LayerCount; l++)
        {
            float[] previous = _a[l], z = _z[l], a = _a[l + 1];
            for (int j = 0; j < z.Length; j++)
            {
                float[] row = _weights[l][j];
                float sum = _biases[l][j];
                for (int i = 0; i < row.Length; i++)
                {
                    sum += row[i] * previous[i];
                }

                z[j] = sum;
            }

            Activate(_shape.Activations[l], z, a);
        }
    }

    private static void Activate(Activation activation, float[] z, float[] a)
    {
        if (activation == Activation.Softmax)
        {
            float max = z.Max();
            float sum = 0f;
            for (int j = 0; j < z.Length; j++)
            {
                a[j] = MathF.Exp(z[j] - max);
                sum += a[j];
            }

            for (int j = 0; j < z.Length; j++)
            {
                a[j] /= sum;
            }

            return;
        }

        for (int j = 0; j < z.Length; j++)
        {
            a[j] = activation switch
            {
                Activation.Identity => z[j],
                Activation.Sigmoid => 1f / (1f + MathF.Exp(-z[j])),
                Activation.Tanh => MathF.Tanh(z[j]),
                Activation.ReLU => z[j] > 0f ? z[j] : 0f,
                Activation.LeakyReLU => z[j] > 0f ? z[j] : 0.01f * z[j],
                _ => throw new NotSupportedException(activation.ToString()),
            };
        }
    }

    /// <summary>g′ from the stored activation a (and z for the ReLU family).</summary>
    private static float Derivative(Activation activation, float z, float a) => activation switch
    {
        Activation.Identity => 1f,
        Activation.Sigmoid => a * (1f - a),
        Activation.Tanh => 1f - a * a,
        Activation.ReLU => z > 0f ? 1f : 0f,
        Activation.LeakyReLU => z > 0f ? 1f : 0.01f,
        _ => throw new NotSupportedException(activation.ToString()),
    };

    /// <summary>Sum-squared error Σ(t−y)², or cross-entropy −Σ t·ln y with ln y = z − logsumexp(z) (finite, as generated).</summary>
    private float ComputeLoss(ReadOnlySpan<float> target)
    {
        float[] y = _a[^1];
        float loss = 0f;
        if (_shape.Loss == Loss.SumSquaredError)
        {
            for (int k = 0; k < y.Length; k++)
            {
                float e = target[k] - y[k];
                loss += e * e;
            }

            return loss;
        }

        if (_shape.Loss != Loss.CrossEntropy)
        {
            throw new NotSupportedException(_shape.Loss.ToString());
        }

        float[] z = _z[^1];
        float max = z.Max();
        float sum = 0f;
        foreach (float zk in z)
        {
            sum += MathF.Exp(zk - max);
        }

        float logSumExp = max + MathF.Log(sum);
        for (int k = 0; k < z.Length; k++)
        {
            loss += target[k] * (logSumExp - z[k]);
        }

        return loss;
    }

    private void Backpropagate(ReadOnlySpan<float> target)
    {
        int last = _shape.LayerCount - 1;
        float[] y = _a[^1], outputDelta = _delta[last];
        Activation output = _shape.Activations[last];
        if (_shape.Loss == Loss.CrossEntropy && output == Activation.Softmax)
        {
            // δₖ = yₖ·Σⱼtⱼ − tₖ
            float targetSum = 0f;
            for (int k = 0; k < y.Length; k++)
            {
                targetSum += target[k];
            }

            for (int k = 0; k < y.Length; k++)
            {
                outputDelta[k] = y[k] * targetSum - target[k];
            }
        }
        else if (_shape.Loss == Loss.SumSquaredError && output != Activation.Softmax)
        {
            // δₖ = −2(tₖ − yₖ)·g′ₖ
            for (int k = 0; k < y.Length; k++)
            {
                outputDelta[k] = -2f * (target[k] - y[k]) * Derivative(output, _z[last][k], y[k]);
            }
        }
        else
        {
            throw new NotSupportedException($"{output} · {_shape.Loss}");
        }

        for (int l = last - 1; l >= 0; l--)
        {
            float[] delta = _delta[l], above = _delta[l + 1];
            float[][] weightsAbove = _weights[l + 1];
            for (int j = 0; j < delta.Length; j++)
            {
                float sum = 0f;
                for (int k = 0; k < above.Length; k++)
                {
                    sum += above[k] * weightsAbove[k][j];
                }

                delta[j] = Derivative(_shape.Activations[l], _z[l][j], _a[l + 1][j]) * sum;
            }
        }
    }
}
