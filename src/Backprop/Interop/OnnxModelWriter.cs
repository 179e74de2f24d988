using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Backprop.Interop.Formats;
using Backprop.Serialization;

namespace Backprop.Interop;

/// <summary>
/// Writes a network as a standard ONNX model: IR version 8, the default domain at opset 13, input <c>input</c>
/// [batch, inputs] and output <c>output</c> [batch, outputs] with a symbolic batch dimension, and per layer k one
/// <c>Gemm</c> (transB = 1, so W stays [out, in] as in <c>nn.Linear</c>) reading initializers named as
/// <c>torch.onnx.export</c> names an <c>nn.Sequential</c>'s (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, …),
/// followed by the layer's activation in standard operators.
/// </summary>
internal static class OnnxModelWriter
{
    public const string InputName = "input";
    public const string OutputName = "output";
    private const long IrVersion = 8;
    public const long Opset = 13;

    public static byte[] Write<T>(DenseLayerLayout layout, ReadOnlySpan<T> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int dataType = typeof(T) == typeof(float) ? OnnxSchema.DataType.Float
            : typeof(T) == typeof(double) ? OnnxSchema.DataType.Double
            : throw new NotSupportedException($"ONNX models hold float or double networks, not {typeof(T).Name}.");
        T[] values = parameters.ToArray();
        var model = new ProtobufWriter();
        model.WriteVarint(OnnxSchema.Model.IrVersion, IrVersion);
        model.WriteString(OnnxSchema.Model.ProducerName, "Backprop.Generator");
        model.WriteString(OnnxSchema.Model.ProducerVersion, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
        model.WriteMessage(OnnxSchema.Model.Graph, graph => WriteGraph(graph, layout, values, dataType));
        model.WriteMessage(OnnxSchema.Model.OpsetImport, opset =>
        {
            opset.WriteString(OnnxSchema.OperatorSetId.Domain, "");
            opset.WriteVarint(OnnxSchema.OperatorSetId.Version, Opset);
        });
        return model.WrittenSpan.ToArray();
    }

    private static void WriteGraph<T>(ProtobufWriter graph, DenseLayerLayout layout, T[] parameters, int dataType)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var constants = new Constants();
        string previous = InputName;
        int last = layout.Layers.Count - 1;
        for (int k = 0; k <= last; k++)
        {
            DenseLayerLayout.Layer layer = layout.Layers[k];
            string module = (2 * k).ToString(CultureInfo.InvariantCulture);
            string output = k == last ? OutputName : $"/{module}/activation";
            string z = layer.Activation == "Identity" ? output : $"/{module}/Gemm_output";
            WriteNode(graph, "Gemm", $"/{module}/Gemm", [previous, module + ".weight", module + ".bias"], z, ("transB", 1L));
            WriteActivation(graph, layer.Activation, $"/{(2 * k) + 1}/", z, output, dataType == OnnxSchema.DataType.Double, constants);
            previous = output;
        }

        graph.WriteString(OnnxSchema.Graph.Name, "backprop_network");
        for (int k = 0; k <= last; k++)
        {
            DenseLayerLayout.Layer layer = layout.Layers[k];
            string module = (2 * k).ToString(CultureInfo.InvariantCulture);
            WriteTensor(graph, module + ".weight", [layer.Outputs, layer.Inputs], parameters.AsSpan(layer.WeightOffset, layer.Outputs * layer.Inputs), dataType);
            WriteTensor(graph, module + ".bias", [layer.Outputs], parameters.AsSpan(layer.BiasOffset, layer.Outputs), dataType);
        }

        foreach (KeyValuePair<string, double> constant in constants.Values)
        {
            T value = T.CreateChecked(constant.Value);
            WriteTensor(graph, constant.Key, [], new ReadOnlySpan<T>(in value), dataType);
        }

        WriteValueInfo(graph, OnnxSchema.Graph.Input, InputName, layout.Layers[0].Inputs, dataType);
        WriteValueInfo(graph, OnnxSchema.Graph.Output, OutputName, layout.Layers[last].Outputs, dataType);
    }

    /// <summary>The activation from <paramref name="z"/> to <paramref name="a"/>, in the operators of opset 13.</summary>
    /// <remarks>
    /// <para><paramref name="name"/> is the prefix of the nodes' names: the activation module's, <c>/1/</c> for layer 0's.</para>
    /// <para>
    /// A float network uses the operator of each activation where opset 13 has one. ONNX Runtime's CPU provider has no
    /// double kernel for <c>LeakyRelu</c>, <c>Elu</c>, <c>Softplus</c> or <c>Erf</c>, so a double network writes the
    /// first three with operators it does have (exact in double), and computes GELU's erf between two <c>Cast</c>s in
    /// float: that one function of the model to about 1e-7, everything else in double.
    /// </para>
    /// </remarks>
    private static void WriteActivation(ProtobufWriter graph, string activation, string name, string z, string a, bool isDouble, Constants constants)
    {
        string Output(string op) => name + op + "_output";
        switch (activation)
        {
            case "Identity":
                break; // the Gemm writes a itself
            case "Sigmoid" or "Tanh":
                WriteNode(graph, activation, name + activation, [z], a);
                break;
            case "ReLU":
                WriteNode(graph, "Relu", name + "Relu", [z], a);
                break;
            case "LeakyReLU" when isDouble:
                // max(z, 0.01·z)
                WriteNode(graph, "Mul", name + "Mul", [z, constants.Add("leaky_relu.slope", 0.01)], Output("Mul"));
                WriteNode(graph, "Max", name + "Max", [z, Output("Mul")], a);
                break;
            case "LeakyReLU":
                WriteNode(graph, "LeakyRelu", name + "LeakyRelu", [z], a, ("alpha", 0.01f));
                break;
            case "ELU" when isDouble:
                // relu(z) + (e^min(z, 0) − 1)
                WriteNode(graph, "Min", name + "Min", [z, constants.Add("zero", 0)], Output("Min"));
                WriteNode(graph, "Exp", name + "Exp", [Output("Min")], Output("Exp"));
                WriteNode(graph, "Sub", name + "Sub", [Output("Exp"), constants.Add("one", 1)], Output("Sub"));
                WriteNode(graph, "Relu", name + "Relu", [z], Output("Relu"));
                WriteNode(graph, "Add", name + "Add", [Output("Relu"), Output("Sub")], a);
                break;
            case "ELU":
                WriteNode(graph, "Elu", name + "Elu", [z], a, ("alpha", 1f));
                break;
            case "Softplus" when isDouble:
                // relu(z) + ln(1 + e^(−|z|)), finite for every z
                WriteNode(graph, "Abs", name + "Abs", [z], Output("Abs"));
                WriteNode(graph, "Neg", name + "Neg", [Output("Abs")], Output("Neg"));
                WriteNode(graph, "Exp", name + "Exp", [Output("Neg")], Output("Exp"));
                WriteNode(graph, "Add", name + "Add", [Output("Exp"), constants.Add("one", 1)], Output("Add"));
                WriteNode(graph, "Log", name + "Log", [Output("Add")], Output("Log"));
                WriteNode(graph, "Relu", name + "Relu", [z], Output("Relu"));
                WriteNode(graph, "Add", name + "Add_1", [Output("Relu"), Output("Log")], a);
                break;
            case "Softplus":
                WriteNode(graph, "Softplus", name + "Softplus", [z], a);
                break;
            case "SiLU":
                // z·σ(z): opset 13 has no SiLU operator.
                WriteNode(graph, "Sigmoid", name + "Sigmoid", [z], Output("Sigmoid"));
                WriteNode(graph, "Mul", name + "Mul", [z, Output("Sigmoid")], a);
                break;
            case "GELU":
                // ½·z·(1 + erf(z/√2)), exact GELU: the Gelu operator arrives only in opset 20.
                WriteNode(graph, "Div", name + "Div", [z, constants.Add("sqrt2", Math.Sqrt(2))], Output("Div"));
                string erf = Output("Div");
                if (isDouble)
                {
                    WriteNode(graph, "Cast", name + "Cast", [erf], Output("Cast"), ("to", (long)OnnxSchema.DataType.Float));
                    erf = Output("Cast");
                }

                WriteNode(graph, "Erf", name + "Erf", [erf], Output("Erf"));
                erf = Output("Erf");
                if (isDouble)
                {
                    WriteNode(graph, "Cast", name + "Cast_1", [erf], Output("Cast_1"), ("to", (long)OnnxSchema.DataType.Double));
                    erf = Output("Cast_1");
                }

                WriteNode(graph, "Add", name + "Add", [erf, constants.Add("one", 1)], Output("Add"));
                WriteNode(graph, "Mul", name + "Mul", [z, Output("Add")], Output("Mul"));
                WriteNode(graph, "Mul", name + "Mul_1", [Output("Mul"), constants.Add("half", 0.5)], a);
                break;
            case "Softmax":
                WriteNode(graph, "Softmax", name + "Softmax", [z], a, ("axis", -1L));
                break;
            default:
                throw new ArgumentException($"The activation '{activation}' has no ONNX form in this library.", nameof(activation));
        }
    }

    /// <summary>The scalar constants the activations read, each written once as an initializer of the network's type.</summary>
    private sealed class Constants
    {
        public SortedDictionary<string, double> Values { get; } = new(StringComparer.Ordinal);

        /// <summary>Registers <paramref name="value"/> as <c>constant.<paramref name="name"/></c> and returns that name.</summary>
        public string Add(string name, double value)
        {
            string qualified = "constant." + name;
            Values[qualified] = value;
            return qualified;
        }
    }

    private static void WriteNode(ProtobufWriter graph, string opType, string name, string[] inputs, string output, params (string Name, object Value)[] attributes)
        => graph.WriteMessage(OnnxSchema.Graph.Node, node =>
        {
            foreach (string input in inputs)
            {
                node.WriteString(OnnxSchema.Node.Input, input);
            }

            node.WriteString(OnnxSchema.Node.Output, output);
            node.WriteString(OnnxSchema.Node.Name, name);
            node.WriteString(OnnxSchema.Node.OpType, opType);
            foreach ((string attributeName, object value) in attributes)
            {
                node.WriteMessage(OnnxSchema.Node.Attribute, attribute =>
                {
                    attribute.WriteString(OnnxSchema.Attribute.Name, attributeName);
                    if (value is long integer)
                    {
                        attribute.WriteVarint(OnnxSchema.Attribute.Int, integer);
                        attribute.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeInt);
                    }
                    else
                    {
                        attribute.WriteSingle(OnnxSchema.Attribute.Float, (float)value);
                        attribute.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeFloat);
                    }
                });
            }
        });

    private static void WriteTensor<T>(ProtobufWriter graph, string name, int[] dimensions, ReadOnlySpan<T> values, int dataType)
        where T : unmanaged
    {
        byte[] raw = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            ByteOrder.ReverseEachValue(raw, Marshal.SizeOf<T>());
        }

        graph.WriteMessage(OnnxSchema.Graph.Initializer, tensor =>
        {
            foreach (int dimension in dimensions)
            {
                tensor.WriteVarint(OnnxSchema.Tensor.Dims, dimension);
            }

            tensor.WriteVarint(OnnxSchema.Tensor.DataType, dataType);
            tensor.WriteString(OnnxSchema.Tensor.Name, name);
            tensor.WriteBytes(OnnxSchema.Tensor.RawData, raw); // little-endian, ONNX's byte order
        });
    }

    /// <summary>A graph input or output: a tensor of the element type, [batch, <paramref name="size"/>], batch symbolic.</summary>
    private static void WriteValueInfo(ProtobufWriter graph, int field, string name, int size, int dataType)
        => graph.WriteMessage(field, value =>
        {
            value.WriteString(OnnxSchema.ValueInfo.Name, name);
            value.WriteMessage(OnnxSchema.ValueInfo.Type, type => type.WriteMessage(OnnxSchema.Type.TensorType, tensor =>
            {
                tensor.WriteVarint(OnnxSchema.Type.ElemType, dataType);
                tensor.WriteMessage(OnnxSchema.Type.Shape, shape =>
                {
                    shape.WriteMessage(OnnxSchema.Shape.Dim, dimension => dimension.WriteString(OnnxSchema.Shape.DimParam, "batch"));
                    shape.WriteMessage(OnnxSchema.Shape.Dim, dimension => dimension.WriteVarint(OnnxSchema.Shape.DimValue, size));
                });
            }));
        });
}
