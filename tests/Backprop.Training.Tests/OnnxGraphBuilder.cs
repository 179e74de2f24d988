using System.Runtime.InteropServices;
using Backprop.Interop.Formats;

namespace Backprop.Training.Tests;

/// <summary>
/// Builds ONNX models the way other exporters write them (tf2onnx's MatMul + Add, Gemm without transB, Constant nodes)
/// or the way no exporter should (a float16 initializer, external data), with the library's own protobuf writer and
/// the field numbers of <see cref="OnnxSchema"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<Action<ProtobufWriter>> _nodes = [];
    private readonly List<Action<ProtobufWriter>> _initializers = [];
    private readonly List<Action<ProtobufWriter>> _inputs = [];
    private readonly List<Action<ProtobufWriter>> _outputs = [];

    public OnnxGraphBuilder(int elementType = OnnxSchema.DataType.Float, long opset = 13)
    {
        ElementType = elementType;
        Opset = opset;
    }

    public int ElementType { get; }

    public long Opset { get; }

    public OnnxGraphBuilder Input(string name, params long?[] dimensions)
    {
        _inputs.Add(graph => WriteValueInfo(graph, OnnxSchema.Graph.Input, name, dimensions));
        return this;
    }

    public OnnxGraphBuilder Output(string name, params long?[] dimensions)
    {
        _outputs.Add(graph => WriteValueInfo(graph, OnnxSchema.Graph.Output, name, dimensions));
        return this;
    }

    /// <summary>A node; attributes are (name, long) or (name, float).</summary>
    public OnnxGraphBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        _nodes.Add(graph => graph.WriteMessage(OnnxSchema.Graph.Node, node =>
        {
            foreach (string input in inputs)
            {
                node.WriteString(OnnxSchema.Node.Input, input);
            }

            foreach (string output in outputs)
            {
                node.WriteString(OnnxSchema.Node.Output, output);
            }

            node.WriteString(OnnxSchema.Node.OpType, opType);
            foreach ((string name, object value) in attributes)
            {
                node.WriteMessage(OnnxSchema.Node.Attribute, attribute =>
                {
                    attribute.WriteString(OnnxSchema.Attribute.Name, name);
                    switch (value)
                    {
                        case long integer:
                            attribute.WriteVarint(OnnxSchema.Attribute.Int, integer);
                            attribute.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeInt);
                            break;
                        case float single:
                            attribute.WriteSingle(OnnxSchema.Attribute.Float, single);
                            attribute.WriteVarint(OnnxSchema.Attribute.Type, OnnxSchema.Attribute.TypeFloat);
                            break;
                        default:
                            throw new ArgumentException($"Attribute {name}: {value.GetType().Name} is not written here.");
                    }
                });
            }
        }));
        return this;
    }

    /// <summary>An initializer of the builder's element type (float or double) from <paramref name="values"/>.</summary>
    public OnnxGraphBuilder Initializer(string name, long[] dimensions, double[] values, int? dataType = null)
    {
        int type = dataType ?? ElementType;
        byte[] raw = type switch
        {
            OnnxSchema.DataType.Float => MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray(),
            OnnxSchema.DataType.Double => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
            OnnxSchema.DataType.Float16 => MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()).ToArray(),
            _ => throw new ArgumentException($"Data type {type} is not written here."),
        };
        return RawInitializer(name, dimensions, type, raw);
    }

    /// <summary>
    /// An initializer whose values are in the typed repeated field (<c>float_data</c> or <c>double_data</c>, packed)
    /// rather than <c>raw_data</c>, as some exporters write them.
    /// </summary>
    public OnnxGraphBuilder TypedInitializer(string name, long[] dimensions, double[] values)
    {
        bool isDouble = ElementType == OnnxSchema.DataType.Double;
        byte[] packed = isDouble
            ? MemoryMarshal.AsBytes(values.AsSpan()).ToArray()
            : MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray();
        _initializers.Add(graph => graph.WriteMessage(OnnxSchema.Graph.Initializer, tensor =>
        {
            foreach (long dimension in dimensions)
            {
                tensor.WriteVarint(OnnxSchema.Tensor.Dims, dimension);
            }

            tensor.WriteVarint(OnnxSchema.Tensor.DataType, ElementType);
            tensor.WriteString(OnnxSchema.Tensor.Name, name);
            tensor.WriteBytes(isDouble ? OnnxSchema.Tensor.DoubleData : OnnxSchema.Tensor.FloatData, packed);
        }));
        return this;
    }

    /// <summary>An initializer with the given bytes as its raw data, whatever they are.</summary>
    public OnnxGraphBuilder RawInitializer(string name, long[] dimensions, int dataType, byte[] raw, bool external = false)
    {
        _initializers.Add(graph => graph.WriteMessage(OnnxSchema.Graph.Initializer, tensor =>
        {
            foreach (long dimension in dimensions)
            {
                tensor.WriteVarint(OnnxSchema.Tensor.Dims, dimension);
            }

            tensor.WriteVarint(OnnxSchema.Tensor.DataType, dataType);
            tensor.WriteString(OnnxSchema.Tensor.Name, name);
            if (external)
            {
                tensor.WriteVarint(OnnxSchema.Tensor.DataLocation, 1);
            }
            else
            {
                tensor.WriteBytes(OnnxSchema.Tensor.RawData, raw);
            }
        }));
        return this;
    }

    public byte[] Build()
    {
        var model = new ProtobufWriter();
        model.WriteVarint(OnnxSchema.Model.IrVersion, 8);
        model.WriteString(OnnxSchema.Model.ProducerName, "tests");
        model.WriteMessage(OnnxSchema.Model.Graph, graph =>
        {
            foreach (Action<ProtobufWriter> node in _nodes)
            {
                node(graph);
            }

            graph.WriteString(OnnxSchema.Graph.Name, "test");
            foreach (Action<ProtobufWriter> write in _initializers.Concat(_inputs).Concat(_outputs))
            {
                write(graph);
            }
        });
        model.WriteMessage(OnnxSchema.Model.OpsetImport, opset =>
        {
            opset.WriteString(OnnxSchema.OperatorSetId.Domain, "");
            opset.WriteVarint(OnnxSchema.OperatorSetId.Version, Opset);
        });
        return model.WrittenSpan.ToArray();
    }

    private void WriteValueInfo(ProtobufWriter graph, int field, string name, long?[] dimensions)
        => graph.WriteMessage(field, value =>
        {
            value.WriteString(OnnxSchema.ValueInfo.Name, name);
            value.WriteMessage(OnnxSchema.ValueInfo.Type, type => type.WriteMessage(OnnxSchema.Type.TensorType, tensor =>
            {
                tensor.WriteVarint(OnnxSchema.Type.ElemType, ElementType);
                tensor.WriteMessage(OnnxSchema.Type.Shape, shape =>
                {
                    foreach (long? dimension in dimensions)
                    {
                        shape.WriteMessage(OnnxSchema.Shape.Dim, d =>
                        {
                            if (dimension is long size)
                            {
                                d.WriteVarint(OnnxSchema.Shape.DimValue, size);
                            }
                            else
                            {
                                d.WriteString(OnnxSchema.Shape.DimParam, "N");
                            }
                        });
                    }
                });
            }));
        });
}
