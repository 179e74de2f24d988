using System;
using System.Collections.Generic;
using System.Globalization;

namespace Backprop.Interop.Formats;

/// <summary>
/// Reads a dense network out of an ONNX graph: a chain from the one graph input to the one output of, per layer,
/// <c>Gemm</c> (either <c>transB</c>) or <c>MatMul</c> + <c>Add</c>, then the layer's activation: nothing for
/// Identity, <c>Softmax</c> on the last axis for the output layer, or any element-wise subgraph that computes one of
/// the library's activations (<see cref="ActivationIdentifier"/>). That is what <c>torch.onnx.export</c> writes for
/// an <c>nn.Sequential</c> of <c>Linear</c> and activation modules, what tf2onnx writes for Keras <c>Dense</c>
/// layers, and what <c>Onnx.Save</c> writes. Anything else in the graph is refused with a message naming it.
/// </summary>
internal sealed class OnnxDenseStackReader
{
    private readonly OnnxGraph _graph;
    private readonly Dictionary<string, List<int>> _consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxTensor> _constants = new(StringComparer.Ordinal);
    private readonly bool[] _used;
    private int _elementType;

    private OnnxDenseStackReader(OnnxGraph graph)
    {
        _graph = graph;
        _used = new bool[graph.Nodes.Count];
        foreach (KeyValuePair<string, OnnxTensor> initializer in graph.Initializers)
        {
            _constants[initializer.Key] = initializer.Value;
        }

        for (int n = 0; n < graph.Nodes.Count; n++)
        {
            OnnxNode node = graph.Nodes[n];
            if (node.OpType == "Constant" && node.Outputs.Count == 1)
            {
                _constants[node.Outputs[0]] = ConstantValue(node, n);
                _used[n] = true;
                continue;
            }

            foreach (string input in node.Inputs)
            {
                if (input.Length == 0)
                {
                    continue; // an omitted optional input
                }

                if (!_consumers.TryGetValue(input, out List<int>? list))
                {
                    _consumers[input] = list = [];
                }

                list.Add(n);
            }
        }
    }

    private string Subject => _graph.Subject;

    /// <summary>The dense network <paramref name="graph"/> computes.</summary>
    /// <exception cref="InvalidModelException">It computes something else, or its tensors are inconsistent.</exception>
    public static DenseStack Read(OnnxGraph graph) => new OnnxDenseStackReader(graph).Read();

    private DenseStack Read()
    {
        OnnxValueInfo input = GraphInput();
        if (_graph.Outputs.Count != 1)
        {
            throw Unsupported($"it has {_graph.Outputs.Count} graph outputs; a dense network has one");
        }

        string output = _graph.Outputs[0].Name;
        _elementType = input.ElementType;
        if (_elementType is not (OnnxSchema.DataType.Float or OnnxSchema.DataType.Double))
        {
            throw Unsupported($"its input '{input.Name}' is {OnnxSchema.DataType.Name(_elementType)}; this library computes in float or double");
        }

        // An nn.Flatten() first (an MNIST model's [batch, 1, 28, 28] input) reads the input as [batch, product of the rest].
        string current = SkipIdentities(input.Name);
        bool flattened = false;
        if (Consumers(current) is { Count: 1 } first && _graph.Nodes[first[0]] is { OpType: "Flatten" } flatten && Int(flatten, "axis", 1) == 1)
        {
            _used[first[0]] = true;
            flattened = true;
            current = flatten.Outputs[0];
        }

        // The input's shape is checked after the layers, so that a convolution's [batch, channels, length] input is
        // reported as the Conv that reads it.
        int? inputCount = FeatureCount(input.Dimensions, flattened);
        var layers = new List<DenseStackLayer>();
        while (true)
        {
            current = SkipIdentities(current);
            if (current == output && Consumers(current).Count == 0)
            {
                break;
            }

            (double[] weights, double[] biases, int inputs, int outputs, string z) = ReadLinear(current, layers.Count + 1);
            int expectedInputs = layers.Count == 0 ? inputCount ?? inputs : layers[layers.Count - 1].Outputs;
            if (inputs != expectedInputs)
            {
                throw Corrupted($"layer {layers.Count + 1} takes {inputs} input(s), and what feeds it has {expectedInputs}");
            }

            (string activation, string a) = ReadActivation(z, output, layers.Count + 1);
            layers.Add(new DenseStackLayer(inputs, outputs, activation, weights, biases));
            current = a;
        }

        if (layers.Count == 0)
        {
            throw Unsupported("its input is its output: it has no layer");
        }

        if (input.Dimensions is { } dimensions && inputCount is null)
        {
            throw Unsupported($"its input '{input.Name}' has {dimensions.Count} dimension(s) where a dense network's is [batch, inputs]");
        }

        for (int n = 0; n < _used.Length; n++)
        {
            if (!_used[n])
            {
                throw Unsupported($"its {_graph.Nodes[n].Describe(n)} is not part of a dense layer or an activation{Advice(_graph.Nodes[n].OpType)}");
            }
        }

        for (int k = 0; k < layers.Count; k++)
        {
            if (layers[k].Activation == "Softmax" && k != layers.Count - 1)
            {
                throw Unsupported($"layer {k + 1} ends in Softmax; this library allows Softmax on the output layer only");
            }
        }

        return new DenseStack(_elementType == OnnxSchema.DataType.Double, layers[0].Inputs, layers);
    }

    private OnnxValueInfo GraphInput()
    {
        OnnxValueInfo? found = null;
        foreach (OnnxValueInfo value in _graph.Inputs)
        {
            if (_constants.ContainsKey(value.Name))
            {
                continue; // older exporters list initializers among the inputs
            }

            if (found is not null)
            {
                throw Unsupported($"it has more than one graph input ('{found.Name}', '{value.Name}'); a dense network has one");
            }

            found = value;
        }

        return found ?? throw Unsupported("it has no graph input");
    }

    /// <summary>Layer k's weights and biases (k from 1, as the generated code numbers layers), from the <c>Gemm</c> or <c>MatMul</c> (+ <c>Add</c>) that reads <paramref name="input"/>.</summary>
    private (double[] Weights, double[] Biases, int Inputs, int Outputs, string Output) ReadLinear(string input, int k)
    {
        (OnnxNode node, int index) = SingleConsumer(input, $"layer {k}'s input");
        _used[index] = true;
        switch (node.OpType)
        {
            case "Gemm":
            {
                if (node.Inputs.Count < 2 || node.Inputs[0] != input)
                {
                    throw Unsupported($"its {node.Describe(index)} does not multiply '{input}' by a weight matrix");
                }

                if (Int(node, "transA", 0) != 0)
                {
                    throw Unsupported($"its {node.Describe(index)} transposes its input (transA = 1)");
                }

                bool transposed = Int(node, "transB", 0) != 0;
                double alpha = Float(node, "alpha", 1);
                double beta = Float(node, "beta", 1);
                OnnxTensor w = Constant(node.Inputs[1], node, index, "weights");
                (int outputs, int inputs) = Matrix(w, transposed, node, index);
                double[] weights = Weights(w, transposed, inputs, outputs, alpha);
                double[] biases = node.Inputs.Count > 2 && node.Inputs[2].Length > 0
                    ? Biases(Constant(node.Inputs[2], node, index, "bias"), outputs, node, index, beta)
                    : new double[outputs];
                return (weights, biases, inputs, outputs, node.Outputs[0]);
            }

            case "MatMul":
            {
                if (node.Inputs.Count != 2 || node.Inputs[0] != input)
                {
                    throw Unsupported($"its {node.Describe(index)} does not multiply '{input}' by a weight matrix");
                }

                OnnxTensor w = Constant(node.Inputs[1], node, index, "weights");
                (int outputs, int inputs) = Matrix(w, transposed: false, node, index);
                double[] weights = Weights(w, transposed: false, inputs, outputs, 1);
                string product = node.Outputs[0];
                List<int> next = Consumers(product);
                if (next.Count == 1 && _graph.Nodes[next[0]] is { OpType: "Add" } add && add.Inputs.Count == 2)
                {
                    string other = add.Inputs[0] == product ? add.Inputs[1] : add.Inputs[0];
                    if (_constants.TryGetValue(other, out OnnxTensor? b))
                    {
                        _used[next[0]] = true;
                        return (weights, Biases(b, outputs, add, next[0], 1), inputs, outputs, add.Outputs[0]);
                    }
                }

                return (weights, new double[outputs], inputs, outputs, product);
            }

            default:
                throw Unsupported($"its {node.Describe(index)} reads layer {k}'s input where a Gemm or MatMul was expected{Advice(node.OpType)}");
        }
    }

    /// <summary>The activation that follows layer k's (from 1) pre-activation <paramref name="z"/>, and the value it ends in.</summary>
    private (string Activation, string Output) ReadActivation(string z, string graphOutput, int k)
    {
        List<int> consumers = Consumers(z);
        if (consumers.Count == 0 || IsLinear(consumers))
        {
            return ("Identity", z);
        }

        if (consumers.Count == 1 && _graph.Nodes[consumers[0]].OpType == "Softmax")
        {
            int index = consumers[0];
            OnnxNode softmax = _graph.Nodes[index];
            long axis = Int(softmax, "axis", _graph.Opset >= 13 ? -1 : 1);
            if (axis is not (-1 or 1))
            {
                throw Unsupported($"its {softmax.Describe(index)} normalises axis {axis}; a dense network's softmax is over the last axis (-1)");
            }

            _used[index] = true;
            return ("Softmax", softmax.Outputs[0]);
        }

        // The element-wise subgraph from z up to the one value the next layer (or the graph output) reads.
        var region = new SortedSet<int>();
        var pending = new Queue<string>();
        var exits = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal) { z };
        pending.Enqueue(z);
        while (pending.Count > 0)
        {
            string value = pending.Dequeue();
            List<int> readers = Consumers(value);
            if (value == graphOutput || (readers.Count > 0 && IsLinear(readers)))
            {
                exits.Add(value);
                continue;
            }

            foreach (int index in readers)
            {
                OnnxNode node = _graph.Nodes[index];
                if (!ActivationIdentifier.IsElementwise(node.OpType) || (node.Domain.Length > 0 && node.Domain != "ai.onnx"))
                {
                    throw Unsupported($"its {node.Describe(index)} follows layer {k} where an activation was expected{Advice(node.OpType)}");
                }

                if (region.Add(index))
                {
                    foreach (string output in node.Outputs)
                    {
                        if (seen.Add(output))
                        {
                            pending.Enqueue(output);
                        }
                    }
                }
            }
        }

        if (exits.Count != 1)
        {
            throw Unsupported($"layer {k}'s activation ends in {exits.Count} values; a dense layer's ends in one");
        }

        string exit = First(exits);
        var nodes = new List<OnnxNode>();
        var operators = new List<string>();
        foreach (int index in region)
        {
            OnnxNode node = _graph.Nodes[index];
            foreach (string read in node.Inputs)
            {
                if (!seen.Contains(read) && !IsScalarConstant(read))
                {
                    throw Unsupported($"its {node.Describe(index)} in layer {k}'s activation reads '{read}', which is neither computed from the layer's output nor a scalar constant");
                }
            }

            nodes.Add(node);
            operators.Add(node.OpType);
            _used[index] = true;
        }

        string? activation = ActivationIdentifier.Identify(nodes, z, exit, ScalarConstant, out string sample);
        return activation is null
            ? throw Unsupported(
                $"the operators after layer {k} ({string.Join(", ", operators)}) compute no activation this library has (at z = 1 they give {sample})")
            : (activation, exit);
    }

    /// <summary>The values per row of an input of <paramref name="dimensions"/>: [batch, n], or any [batch, …] when flattened; null otherwise.</summary>
    private static int? FeatureCount(List<long?>? dimensions, bool flattened)
    {
        if (dimensions is null || dimensions.Count < 2 || (dimensions.Count > 2 && !flattened))
        {
            return null;
        }

        long count = 1;
        for (int d = 1; d < dimensions.Count; d++)
        {
            if (dimensions[d] is not long size || size < 1 || count * size > int.MaxValue)
            {
                return null;
            }

            count *= size;
        }

        return (int)count;
    }

    private bool IsLinear(List<int> consumers)
    {
        foreach (int index in consumers)
        {
            if (_graph.Nodes[index].OpType is not ("Gemm" or "MatMul"))
            {
                return false;
            }
        }

        return true;
    }

    private string SkipIdentities(string value)
    {
        while (Consumers(value) is { Count: 1 } next && _graph.Nodes[next[0]] is { OpType: "Identity" } identity)
        {
            _used[next[0]] = true;
            value = identity.Outputs[0];
        }

        return value;
    }

    private List<int> Consumers(string value) => _consumers.TryGetValue(value, out List<int>? list) ? list : [];

    private (OnnxNode Node, int Index) SingleConsumer(string value, string what)
    {
        List<int> consumers = Consumers(value);
        if (consumers.Count != 1)
        {
            throw Unsupported(consumers.Count == 0
                ? $"nothing reads {what} '{value}', which is not the graph output"
                : $"{what} '{value}' is read by {consumers.Count} nodes; a dense network is a chain");
        }

        return (_graph.Nodes[consumers[0]], consumers[0]);
    }

    private OnnxTensor Constant(string name, OnnxNode node, int index, string role)
    {
        if (!_constants.TryGetValue(name, out OnnxTensor? tensor))
        {
            throw Unsupported($"the {role} of its {node.Describe(index)} ('{name}') are computed, not stored in the file");
        }

        if (tensor.DataType != _elementType)
        {
            throw tensor.Values is null || tensor.DataType is not (OnnxSchema.DataType.Float or OnnxSchema.DataType.Double)
                ? Unsupported($"tensor '{name}' is {OnnxSchema.DataType.Name(tensor.DataType)}; this library reads float and double tensors")
                : Corrupted($"tensor '{name}' is {OnnxSchema.DataType.Name(tensor.DataType)}, and the graph input {OnnxSchema.DataType.Name(_elementType)}");
        }

        return tensor;
    }

    private (int Outputs, int Inputs) Matrix(OnnxTensor w, bool transposed, OnnxNode node, int index)
    {
        if (w.Dimensions.Count != 2 || w.ElementCount == 0)
        {
            throw Unsupported($"the weights of its {node.Describe(index)} ('{w.Name}') have shape {OnnxGraph.Describe(w.Dimensions)}, not a matrix");
        }

        int rows = (int)w.Dimensions[0], columns = (int)w.Dimensions[1];
        return transposed ? (rows, columns) : (columns, rows);
    }

    /// <summary>W as [outputs, inputs] row-major: as stored when transposed (Gemm transB = 1, nn.Linear's layout), else transposed from [inputs, outputs].</summary>
    private static double[] Weights(OnnxTensor w, bool transposed, int inputs, int outputs, double alpha)
    {
        double[] values = w.Values!;
        var weights = new double[values.Length];
        for (int j = 0; j < outputs; j++)
        {
            for (int i = 0; i < inputs; i++)
            {
                weights[(j * inputs) + i] = alpha * (transposed ? values[(j * inputs) + i] : values[(i * outputs) + j]);
            }
        }

        return weights;
    }

    private double[] Biases(OnnxTensor b, int outputs, OnnxNode node, int index, double beta)
    {
        bool vector = b.Dimensions.Count == 1 && b.Dimensions[0] == outputs;
        bool row = b.Dimensions.Count == 2 && b.Dimensions[0] == 1 && b.Dimensions[1] == outputs;
        if (!vector && !row)
        {
            throw Unsupported($"the bias of its {node.Describe(index)} ('{b.Name}') has shape {OnnxGraph.Describe(b.Dimensions)}; a layer of {outputs} neurons has [{outputs}]");
        }

        if (b.DataType != _elementType)
        {
            Constant(b.Name, node, index, "bias"); // throws the type error
        }

        var biases = new double[outputs];
        for (int j = 0; j < outputs; j++)
        {
            biases[j] = beta * b.Values![j];
        }

        return biases;
    }

    private bool IsScalarConstant(string name) => ScalarConstant(name) is not null;

    private double? ScalarConstant(string name)
        => _constants.TryGetValue(name, out OnnxTensor? tensor) && tensor.ElementCount == 1 && tensor.Values is { } values ? values[0] : null;

    private OnnxTensor ConstantValue(OnnxNode node, int index)
    {
        if (node.Attributes.TryGetValue("value", out OnnxAttribute? value) && value.Tensor is { } tensor)
        {
            tensor.Name = node.Outputs[0];
            return tensor;
        }

        if (node.Attributes.TryGetValue("value_float", out OnnxAttribute? single) && single.Float is float f)
        {
            var scalar = new OnnxTensor { Name = node.Outputs[0], DataType = OnnxSchema.DataType.Float, ElementCount = 1, Values = [f] };
            return scalar;
        }

        if (node.Attributes.TryGetValue("value_int", out OnnxAttribute? integer) && integer.Int is long i)
        {
            return new OnnxTensor { Name = node.Outputs[0], DataType = OnnxSchema.DataType.Int64, ElementCount = 1, Values = [i] };
        }

        throw Unsupported($"its {node.Describe(index)} holds a kind of value this library does not read");
    }

    private static long Int(OnnxNode node, string name, long defaultValue)
        => node.Attributes.TryGetValue(name, out OnnxAttribute? attribute) && attribute.Int is long value ? value : defaultValue;

    private static double Float(OnnxNode node, string name, double defaultValue)
        => node.Attributes.TryGetValue(name, out OnnxAttribute? attribute) && attribute.Float is float value ? value : defaultValue;

    private static string First(HashSet<string> set)
    {
        foreach (string value in set)
        {
            return value;
        }

        throw new InvalidOperationException("The set is empty.");
    }

    /// <summary>What to do about an operator that often survives an export by mistake.</summary>
    private static string Advice(string opType) => opType switch
    {
        "Dropout" => " (export the model in eval mode: model.eval() before torch.onnx.export)",
        "BatchNormalization" => " (batch normalisation is not a layer this library has; fold it into the previous Linear before exporting)",
        "Conv" => " (convolutions are not a layer this library has)",
        _ => "",
    };

    private InvalidModelException Unsupported(string problem)
        => new(ModelProblem.Unsupported, $"{Subject} is not a dense network this library can run: {problem}.");

    private InvalidModelException Corrupted(string problem)
        => new(ModelProblem.Corrupted, $"{Subject} is corrupted: {problem}.");
}
