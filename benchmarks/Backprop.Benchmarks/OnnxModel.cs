using Google.Protobuf;

namespace Backprop.Benchmarks;

/// <summary>
/// Writes a network as an ONNX model with the generated network's weights, for the ONNX Runtime peer: input
/// <c>X</c> [N, inputs] (N a dynamic batch dimension), per layer <c>Gemm(a, W, b, transB=1)</c> (W is the
/// generated layout's row-major neurons × inputs, so transB makes it a·Wᵀ + b) followed by the layer's activation
/// (Sigmoid, Tanh, Relu, or Softmax(axis=−1) on the output layer), output <c>Y</c> [N, outputs]. IR version 8,
/// default-domain opset 13.
/// </summary>
/// <remarks>
/// Written field by field with <see cref="CodedOutputStream"/> (no generated protobuf classes): the field numbers
/// are those of onnx/onnx's <c>onnx/onnx.proto</c> (checked against its main branch, 2026-08), quoted at each
/// constant below. A wrong number makes ONNX Runtime refuse the model or compute something else, and the
/// ONNX Runtime benchmark's global setup compares its outputs with the generated network's before timing.
/// </remarks>
public static class OnnxModel
{
    public const string InputName = "X";
    public const string OutputName = "Y";
    private const long IrVersion = 8;
    private const long Opset = 13;

    // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8.
    private const int ModelIrVersion = 1, ModelProducerName = 2, ModelProducerVersion = 3, ModelGraph = 7, ModelOpsetImport = 8;

    // OperatorSetIdProto: domain = 1, version = 2.
    private const int OpsetDomain = 1, OpsetVersion = 2;

    // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
    private const int GraphNode = 1, GraphName = 2, GraphInitializer = 5, GraphInput = 11, GraphOutput = 12;

    // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5.
    private const int NodeInput = 1, NodeOutput = 2, NodeName = 3, NodeOpType = 4, NodeAttribute = 5;

    // AttributeProto: name = 1, i = 3, type = 20; AttributeType.INT = 2.
    private const int AttributeName = 1, AttributeInt = 3, AttributeType = 20, AttributeTypeInt = 2;

    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9; DataType.FLOAT = 1.
    private const int TensorDims = 1, TensorDataType = 2, TensorName = 8, TensorRawData = 9, DataTypeFloat = 1;

    // ValueInfoProto: name = 1, type = 2. TypeProto: tensor_type = 1. TypeProto.Tensor: elem_type = 1, shape = 2.
    private const int ValueInfoName = 1, ValueInfoType = 2, TypeTensorType = 1, TensorTypeElemType = 1, TensorTypeShape = 2;

    // TensorShapeProto: dim = 1. TensorShapeProto.Dimension: dim_value = 1, dim_param = 2.
    private const int ShapeDim = 1, DimensionValue = 1, DimensionParam = 2;

    /// <summary>The model of <paramref name="shape"/> with <paramref name="parameters"/> in the generated layout.</summary>
    public static byte[] Write(Shape shape, ReadOnlySpan<float> parameters)
    {
        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException($"{shape} has {shape.ParameterCount} parameters, not {parameters.Length}.", nameof(parameters));
        }

        float[] copy = parameters.ToArray();
        return Message(model =>
        {
            model.WriteTag(ModelIrVersion, WireFormat.WireType.Varint);
            model.WriteInt64(IrVersion);
            WriteString(model, ModelProducerName, "Backprop.Benchmarks");
            WriteString(model, ModelProducerVersion, "1");
            WriteMessage(model, ModelGraph, graph => WriteGraph(graph, shape, copy));
            WriteMessage(model, ModelOpsetImport, opset =>
            {
                WriteString(opset, OpsetDomain, "");
                opset.WriteTag(OpsetVersion, WireFormat.WireType.Varint);
                opset.WriteInt64(Opset);
            });
        });
    }

    private static void WriteGraph(CodedOutputStream graph, Shape shape, float[] parameters)
    {
        string previous = InputName;
        for (int l = 0; l < shape.LayerCount; l++)
        {
            string weights = $"W{l}", biases = $"B{l}", z = $"Z{l}";
            string output = l == shape.LayerCount - 1 ? OutputName : $"A{l}";
            string activation = shape.Activations[l] switch
            {
                Activation.Sigmoid => "Sigmoid",
                Activation.Tanh => "Tanh",
                Activation.ReLU => "Relu",
                Activation.Softmax => "Softmax",
                Activation.Identity => "Identity",
                Activation other => throw new NotSupportedException($"{other} has no ONNX operator in this writer."),
            };
            string previousInput = previous;
            WriteMessage(graph, GraphNode, node =>
            {
                WriteString(node, NodeInput, previousInput);
                WriteString(node, NodeInput, weights);
                WriteString(node, NodeInput, biases);
                WriteString(node, NodeOutput, z);
                WriteString(node, NodeName, $"Gemm{l}");
                WriteString(node, NodeOpType, "Gemm");
                WriteMessage(node, NodeAttribute, attribute => WriteIntAttribute(attribute, "transB", 1));
            });
            WriteMessage(graph, GraphNode, node =>
            {
                WriteString(node, NodeInput, z);
                WriteString(node, NodeOutput, output);
                WriteString(node, NodeName, $"{activation}{l}");
                WriteString(node, NodeOpType, activation);
                if (activation == "Softmax")
                {
                    WriteMessage(node, NodeAttribute, attribute => WriteIntAttribute(attribute, "axis", -1));
                }
            });
            previous = output;
        }

        WriteString(graph, GraphName, $"mlp_{shape.Name.Replace('-', '_')}");
        for (int l = 0; l < shape.LayerCount; l++)
        {
            int outputs = shape.Sizes[l + 1], inputs = shape.Sizes[l];
            int layer = l;
            WriteMessage(graph, GraphInitializer, tensor =>
                WriteFloatTensor(tensor, $"W{layer}", [outputs, inputs], parameters.AsSpan(shape.WeightOffset(layer), shape.WeightCount(layer))));
            WriteMessage(graph, GraphInitializer, tensor =>
                WriteFloatTensor(tensor, $"B{layer}", [outputs], parameters.AsSpan(shape.BiasOffset(layer), outputs)));
        }

        WriteMessage(graph, GraphInput, value => WriteBatchValueInfo(value, InputName, shape.InputCount));
        WriteMessage(graph, GraphOutput, value => WriteBatchValueInfo(value, OutputName, shape.OutputCount));
    }

    private static void WriteIntAttribute(CodedOutputStream attribute, string name, long value)
    {
        WriteString(attribute, AttributeName, name);
        attribute.WriteTag(AttributeInt, WireFormat.WireType.Varint);
        attribute.WriteInt64(value);
        attribute.WriteTag(AttributeType, WireFormat.WireType.Varint);
        attribute.WriteEnum(AttributeTypeInt);
    }

    private static void WriteFloatTensor(CodedOutputStream tensor, string name, long[] dims, ReadOnlySpan<float> values)
    {
        foreach (long dim in dims)
        {
            tensor.WriteTag(TensorDims, WireFormat.WireType.Varint); // unpacked repeated int64: parsers accept both forms
            tensor.WriteInt64(dim);
        }

        tensor.WriteTag(TensorDataType, WireFormat.WireType.Varint);
        tensor.WriteInt32(DataTypeFloat);
        WriteString(tensor, TensorName, name);
        // raw_data: the values as little-endian IEEE 754 floats (ONNX's fixed byte order).
        byte[] raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }

        tensor.WriteTag(TensorRawData, WireFormat.WireType.LengthDelimited);
        tensor.WriteBytes(ByteString.CopyFrom(raw));
    }

    /// <summary>A float tensor value [N, <paramref name="width"/>], N named "N" (any batch size).</summary>
    private static void WriteBatchValueInfo(CodedOutputStream value, string name, int width)
    {
        WriteString(value, ValueInfoName, name);
        WriteMessage(value, ValueInfoType, type =>
            WriteMessage(type, TypeTensorType, tensorType =>
            {
                tensorType.WriteTag(TensorTypeElemType, WireFormat.WireType.Varint);
                tensorType.WriteInt32(DataTypeFloat);
                WriteMessage(tensorType, TensorTypeShape, shape =>
                {
                    WriteMessage(shape, ShapeDim, dim => WriteString(dim, DimensionParam, "N"));
                    WriteMessage(shape, ShapeDim, dim =>
                    {
                        dim.WriteTag(DimensionValue, WireFormat.WireType.Varint);
                        dim.WriteInt64(width);
                    });
                });
            }));
    }

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    /// <summary>An embedded message: its tag, then its length and bytes (written first to know the length).</summary>
    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> body)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(Message(body)));
    }

    private static byte[] Message(Action<CodedOutputStream> body)
    {
        using MemoryStream bytes = new();
        using (CodedOutputStream output = new(bytes, leaveOpen: true))
        {
            body(output);
        }

        return bytes.ToArray();
    }
}
