using System;
using System.Collections.Generic;
using System.Globalization;

namespace Backprop.Interop.Formats;

/// <summary>
/// The parts of an ONNX model a dense network is read from: the default domain's opset, the graph's nodes in order,
/// its initializers, inputs and outputs. Everything else in the file is skipped. Tensor values are decoded to
/// <see cref="double"/> (exact for float) once their length has been checked against their shape.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The files this library reads hold at most this many elements in one tensor (ONNX's own 2 GB limit in floats).</summary>
    private const long MaxElements = int.MaxValue / 8;

    private OnnxGraph(string subject) => Subject = subject;

    /// <summary>What the bytes are, for messages: "The ONNX file 'iris.onnx'".</summary>
    public string Subject { get; }

    public string ProducerName { get; private set; } = "";

    /// <summary>The version of the default (<c>ai.onnx</c>) operator set; 0 if the model imports none.</summary>
    public long Opset { get; private set; }

    public List<OnnxNode> Nodes { get; } = [];

    public Dictionary<string, OnnxTensor> Initializers { get; } = new(StringComparer.Ordinal);

    public List<OnnxValueInfo> Inputs { get; } = [];

    public List<OnnxValueInfo> Outputs { get; } = [];

    /// <summary>Reads a serialized <c>ModelProto</c>.</summary>
    /// <exception cref="InvalidModelException">The bytes are not one, or one with something this reader refuses.</exception>
    public static OnnxGraph Read(ReadOnlySpan<byte> bytes, string subject)
    {
        var model = new OnnxGraph(subject);
        var reader = new ProtobufReader(bytes, subject);
        bool hasGraph = false;
        bool hasIrVersion = false;
        while (reader.TryReadField(out int field, out WireType type))
        {
            switch (field)
            {
                case OnnxSchema.Model.IrVersion when type == WireType.Varint:
                    hasIrVersion = true;
                    reader.ReadVarint();
                    break;
                case OnnxSchema.Model.ProducerName when type == WireType.LengthDelimited:
                    model.ProducerName = reader.ReadString();
                    break;
                case OnnxSchema.Model.Graph when type == WireType.LengthDelimited:
                    if (hasGraph)
                    {
                        throw new InvalidModelException(ModelProblem.Corrupted, $"{subject} is corrupted: it holds two graphs.");
                    }

                    hasGraph = true;
                    model.ReadGraph(reader.ReadBytes());
                    break;
                case OnnxSchema.Model.OpsetImport when type == WireType.LengthDelimited:
                    model.ReadOpsetImport(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        if (!hasGraph || !hasIrVersion)
        {
            throw new InvalidModelException(
                ModelProblem.NotAModel,
                $"{subject} is not an ONNX model: it has no {(hasIrVersion ? "graph" : "IR version")}.");
        }

        return model;
    }

    private void ReadOpsetImport(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes, Subject);
        string domain = "";
        long version = 0;
        while (reader.TryReadField(out int field, out WireType type))
        {
            if (field == OnnxSchema.OperatorSetId.Domain && type == WireType.LengthDelimited)
            {
                domain = reader.ReadString();
            }
            else if (field == OnnxSchema.OperatorSetId.Version && type == WireType.Varint)
            {
                version = reader.ReadInt64();
            }
            else
            {
                reader.Skip(type);
            }
        }

        if (domain is "" or "ai.onnx")
        {
            Opset = version;
        }
    }

    private void ReadGraph(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes, Subject);
        while (reader.TryReadField(out int field, out WireType type))
        {
            switch (field)
            {
                case OnnxSchema.Graph.Node when type == WireType.LengthDelimited:
                    Nodes.Add(ReadNode(reader.ReadBytes()));
                    break;
                case OnnxSchema.Graph.Initializer when type == WireType.LengthDelimited:
                    OnnxTensor tensor = ReadTensor(reader.ReadBytes());
                    if (tensor.Name.Length == 0)
                    {
                        throw new InvalidModelException(ModelProblem.Corrupted, $"{Subject} is corrupted: an initializer has no name.");
                    }

                    if (Initializers.ContainsKey(tensor.Name))
                    {
                        throw new InvalidModelException(ModelProblem.Corrupted, $"{Subject} is corrupted: two initializers are named '{tensor.Name}'.");
                    }

                    Initializers.Add(tensor.Name, tensor);
                    break;
                case OnnxSchema.Graph.SparseInitializer:
                    throw new InvalidModelException(ModelProblem.Unsupported, $"{Subject} holds a sparse initializer; this library reads dense tensors only.");
                case OnnxSchema.Graph.Input when type == WireType.LengthDelimited:
                    Inputs.Add(ReadValueInfo(reader.ReadBytes()));
                    break;
                case OnnxSchema.Graph.Output when type == WireType.LengthDelimited:
                    Outputs.Add(ReadValueInfo(reader.ReadBytes()));
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
    }

    private OnnxNode ReadNode(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes, Subject);
        var node = new OnnxNode();
        while (reader.TryReadField(out int field, out WireType type))
        {
            switch (field)
            {
                case OnnxSchema.Node.Input when type == WireType.LengthDelimited:
                    node.Inputs.Add(reader.ReadString());
                    break;
                case OnnxSchema.Node.Output when type == WireType.LengthDelimited:
                    node.Outputs.Add(reader.ReadString());
                    break;
                case OnnxSchema.Node.Name when type == WireType.LengthDelimited:
                    node.Name = reader.ReadString();
                    break;
                case OnnxSchema.Node.OpType when type == WireType.LengthDelimited:
                    node.OpType = reader.ReadString();
                    break;
                case OnnxSchema.Node.Domain when type == WireType.LengthDelimited:
                    node.Domain = reader.ReadString();
                    break;
                case OnnxSchema.Node.Attribute when type == WireType.LengthDelimited:
                    OnnxAttribute attribute = ReadAttribute(reader.ReadBytes());
                    node.Attributes[attribute.Name] = attribute;
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        if (node.OpType.Length == 0)
        {
            throw new InvalidModelException(ModelProblem.Corrupted, $"{Subject} is corrupted: a node has no operator type.");
        }

        return node;
    }

    private OnnxAttribute ReadAttribute(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes, Subject);
        var attribute = new OnnxAttribute();
        while (reader.TryReadField(out int field, out WireType type))
        {
            switch (field)
            {
                case OnnxSchema.Attribute.Name when type == WireType.LengthDelimited:
                    attribute.Name = reader.ReadString();
                    break;
                case OnnxSchema.Attribute.Float when type == WireType.Fixed32:
                    attribute.Float = reader.ReadSingle();
                    break;
                case OnnxSchema.Attribute.Int when type == WireType.Varint:
                    attribute.Int = reader.ReadInt64();
                    break;
                case OnnxSchema.Attribute.String when type == WireType.LengthDelimited:
                    attribute.String = reader.ReadString();
                    break;
                case OnnxSchema.Attribute.Tensor when type == WireType.LengthDelimited:
                    attribute.Tensor = ReadTensor(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        return attribute;
    }

    private OnnxValueInfo ReadValueInfo(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes, Subject);
        var value = new OnnxValueInfo();
        while (reader.TryReadField(out int field, out WireType type))
        {
            if (field == OnnxSchema.ValueInfo.Name && type == WireType.LengthDelimited)
            {
                value.Name = reader.ReadString();
            }
            else if (field == OnnxSchema.ValueInfo.Type && type == WireType.LengthDelimited)
            {
                var typeReader = new ProtobufReader(reader.ReadBytes(), Subject);
                while (typeReader.TryReadField(out int typeField, out WireType typeWire))
                {
                    if (typeField == OnnxSchema.Type.TensorType && typeWire == WireType.LengthDelimited)
                    {
                        ReadTensorType(typeReader.ReadBytes(), value);
                    }
                    else
                    {
                        typeReader.Skip(typeWire);
                    }
                }
            }
            else
            {
                reader.Skip(type);
            }
        }

        return value;
    }

    private void ReadTensorType(ReadOnlySpan<byte> bytes, OnnxValueInfo value)
    {
        var reader = new ProtobufReader(bytes, Subject);
        while (reader.TryReadField(out int field, out WireType type))
        {
            if (field == OnnxSchema.Type.ElemType && type == WireType.Varint)
            {
                value.ElementType = (int)reader.ReadInt64();
            }
            else if (field == OnnxSchema.Type.Shape && type == WireType.LengthDelimited)
            {
                value.Dimensions = [];
                var shape = new ProtobufReader(reader.ReadBytes(), Subject);
                while (shape.TryReadField(out int shapeField, out WireType shapeWire))
                {
                    if (shapeField != OnnxSchema.Shape.Dim || shapeWire != WireType.LengthDelimited)
                    {
                        shape.Skip(shapeWire);
                        continue;
                    }

                    long? size = null;
                    var dimension = new ProtobufReader(shape.ReadBytes(), Subject);
                    while (dimension.TryReadField(out int dimensionField, out WireType dimensionWire))
                    {
                        if (dimensionField == OnnxSchema.Shape.DimValue && dimensionWire == WireType.Varint)
                        {
                            size = dimension.ReadInt64();
                        }
                        else
                        {
                            dimension.Skip(dimensionWire);
                        }
                    }

                    value.Dimensions.Add(size);
                }
            }
            else
            {
                reader.Skip(type);
            }
        }
    }

    private OnnxTensor ReadTensor(ReadOnlySpan<byte> bytes)
    {
        var reader = new ProtobufReader(bytes, Subject);
        var tensor = new OnnxTensor();
        ReadOnlySpan<byte> raw = default;
        bool hasRaw = false;
        var floats = new List<double>();
        bool external = false;
        while (reader.TryReadField(out int field, out WireType type))
        {
            switch (field)
            {
                case OnnxSchema.Tensor.Dims:
                    ReadRepeatedVarints(ref reader, type, tensor.Dimensions);
                    break;
                case OnnxSchema.Tensor.DataType when type == WireType.Varint:
                    tensor.DataType = (int)reader.ReadInt64();
                    break;
                case OnnxSchema.Tensor.Name when type == WireType.LengthDelimited:
                    tensor.Name = reader.ReadString();
                    break;
                case OnnxSchema.Tensor.RawData when type == WireType.LengthDelimited:
                    raw = reader.ReadBytes();
                    hasRaw = true;
                    break;
                case OnnxSchema.Tensor.FloatData when type == WireType.LengthDelimited:
                    AddPacked(reader.ReadBytes(), 4, tensor, floats);
                    break;
                case OnnxSchema.Tensor.FloatData when type == WireType.Fixed32:
                    floats.Add(reader.ReadSingle());
                    break;
                case OnnxSchema.Tensor.DoubleData when type == WireType.LengthDelimited:
                    AddPacked(reader.ReadBytes(), 8, tensor, floats);
                    break;
                case OnnxSchema.Tensor.DoubleData when type == WireType.Fixed64:
                    floats.Add(reader.ReadDouble());
                    break;
                case OnnxSchema.Tensor.Int32Data or OnnxSchema.Tensor.Int64Data:
                    var integers = new List<long>();
                    ReadRepeatedVarints(ref reader, type, integers);
                    foreach (long integer in integers)
                    {
                        floats.Add(integer);
                    }

                    break;
                case OnnxSchema.Tensor.ExternalData:
                    external = true;
                    reader.Skip(type);
                    break;
                case OnnxSchema.Tensor.DataLocation when type == WireType.Varint:
                    external |= reader.ReadVarint() == 1;
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        if (external)
        {
            throw new InvalidModelException(
                ModelProblem.Unsupported,
                $"{Subject} keeps tensor '{tensor.Name}' in an external data file; save the model with its data inside (torch.onnx.export does for models under 2 GB).");
        }

        long count = 1;
        foreach (long dimension in tensor.Dimensions)
        {
            if (dimension < 0 || (dimension > 0 && count > MaxElements / dimension))
            {
                throw Corrupted(tensor, $"its shape {Describe(tensor.Dimensions)} is negative or larger than any model this library reads");
            }

            count *= dimension;
        }

        tensor.ElementCount = (int)count;
        int size = tensor.DataType switch
        {
            OnnxSchema.DataType.Float => 4,
            OnnxSchema.DataType.Double => 8,
            OnnxSchema.DataType.Int32 => 4,
            OnnxSchema.DataType.Int64 => 8,
            _ => 0,
        };

        if (size == 0)
        {
            return tensor; // a type this library does not compute in: the reader that needs its values says so
        }

        if (hasRaw)
        {
            if (raw.Length != count * size)
            {
                throw Corrupted(tensor, $"its shape {Describe(tensor.Dimensions)} needs {count * size} bytes of {OnnxSchema.DataType.Name(tensor.DataType)}, and it holds {raw.Length}");
            }

            var values = new double[count];
            for (int i = 0; i < values.Length; i++)
            {
                ReadOnlySpan<byte> value = raw.Slice(i * size, size);
                values[i] = tensor.DataType switch
                {
                    OnnxSchema.DataType.Float => LittleEndian.ReadSingle(value),
                    OnnxSchema.DataType.Double => LittleEndian.ReadDouble(value),
                    OnnxSchema.DataType.Int32 => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(value),
                    _ => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(value),
                };
            }

            tensor.Values = values;
        }
        else
        {
            if (floats.Count != count)
            {
                throw Corrupted(tensor, $"its shape {Describe(tensor.Dimensions)} has {count} element(s), and it holds {floats.Count} value(s)");
            }

            tensor.Values = floats.ToArray();
        }

        return tensor;
    }

    /// <summary>Appends packed little-endian floats (<paramref name="size"/> 4) or doubles (8) to <paramref name="values"/>.</summary>
    private void AddPacked(ReadOnlySpan<byte> packed, int size, OnnxTensor tensor, List<double> values)
    {
        if (packed.Length % size != 0)
        {
            throw Corrupted(tensor, $"its packed {(size == 4 ? "float" : "double")} data is not a whole number of values");
        }

        for (int i = 0; i < packed.Length; i += size)
        {
            values.Add(size == 4 ? LittleEndian.ReadSingle(packed.Slice(i, 4)) : LittleEndian.ReadDouble(packed.Slice(i, 8)));
        }
    }

    private static void ReadRepeatedVarints(ref ProtobufReader reader, WireType type, List<long> values)
    {
        if (type == WireType.Varint)
        {
            values.Add(reader.ReadInt64());
            return;
        }

        reader.Expect(type, WireType.LengthDelimited, "a repeated integer field");
        var packed = new ProtobufReader(reader.ReadBytes(), "packed integers");
        while (packed.TryReadPacked(out long value))
        {
            values.Add(value);
        }
    }

    private InvalidModelException Corrupted(OnnxTensor tensor, string problem)
        => new(ModelProblem.Corrupted, $"{Subject} is corrupted: tensor '{tensor.Name}': {problem}.");

    public static string Describe(IReadOnlyList<long> dimensions)
    {
        var parts = new string[dimensions.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = dimensions[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }
}

/// <summary>One node of the graph: its operator, inputs, outputs and attributes.</summary>
internal sealed class OnnxNode
{
    public string Name { get; set; } = "";

    public string OpType { get; set; } = "";

    public string Domain { get; set; } = "";

    public List<string> Inputs { get; } = [];

    public List<string> Outputs { get; } = [];

    public Dictionary<string, OnnxAttribute> Attributes { get; } = new(StringComparer.Ordinal);

    /// <summary>How a message names the node: "Gemm node '/0/Gemm'" or "Gemm node 3".</summary>
    public string Describe(int index)
        => Name.Length > 0 ? $"{OpType} node '{Name}'" : $"{OpType} node {index.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A node attribute of one of the kinds a dense network's operators have.</summary>
internal sealed class OnnxAttribute
{
    public string Name { get; set; } = "";

    public float? Float { get; set; }

    public long? Int { get; set; }

    public string? String { get; set; }

    public OnnxTensor? Tensor { get; set; }
}

/// <summary>A tensor: its name, shape, element type and, for the numeric types, its values.</summary>
internal sealed class OnnxTensor
{
    public string Name { get; set; } = "";

    public List<long> Dimensions { get; } = [];

    public int DataType { get; set; }

    public int ElementCount { get; set; }

    /// <summary>The values in row-major order; null for a type this library does not compute in (float16, say).</summary>
    public double[]? Values { get; set; }
}

/// <summary>A graph input or output: its name, element type and shape (a null dimension is symbolic, like a batch).</summary>
internal sealed class OnnxValueInfo
{
    public string Name { get; set; } = "";

    public int ElementType { get; set; }

    /// <summary>The dimensions; null when the file gives no shape.</summary>
    public List<long?>? Dimensions { get; set; }
}
