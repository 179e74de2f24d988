namespace Backprop.Interop.Formats;

/// <summary>
/// The field numbers of the ONNX messages this library reads and writes, from onnx/onnx's <c>onnx/onnx.proto</c>
/// (proto2; the repeated numeric fields the schema marks packed are read in either form, as every parser does).
/// </summary>
internal static class OnnxSchema
{
    public static class Model
    {
        public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Graph = 7, OpsetImport = 8;
    }

    public static class OperatorSetId
    {
        public const int Domain = 1, Version = 2;
    }

    public static class Graph
    {
        public const int Node = 1, Name = 2, Initializer = 5, Input = 11, Output = 12, SparseInitializer = 15;
    }

    public static class Node
    {
        public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5, Domain = 7;
    }

    public static class Attribute
    {
        public const int Name = 1, Float = 2, Int = 3, String = 4, Tensor = 5, Type = 20;

        // AttributeProto.AttributeType
        public const int TypeFloat = 1, TypeInt = 2, TypeString = 3, TypeTensor = 4;
    }

    public static class Tensor
    {
        public const int Dims = 1, DataType = 2, FloatData = 4, Int32Data = 5, Int64Data = 7, Name = 8, RawData = 9,
            DoubleData = 10, ExternalData = 13, DataLocation = 14;
    }

    public static class ValueInfo
    {
        public const int Name = 1, Type = 2;
    }

    public static class Type
    {
        public const int TensorType = 1;

        // TypeProto.Tensor
        public const int ElemType = 1, Shape = 2;
    }

    public static class Shape
    {
        public const int Dim = 1;

        // TensorShapeProto.Dimension
        public const int DimValue = 1, DimParam = 2;
    }

    /// <summary>TensorProto.DataType: the element types, of which this library computes in two.</summary>
    public static class DataType
    {
        public const int Float = 1, Int32 = 6, Int64 = 7, Float16 = 10, Double = 11, BFloat16 = 16;

        public static string Name(int dataType) => dataType switch
        {
            Float => "float",
            2 => "uint8",
            3 => "int8",
            4 => "uint16",
            5 => "int16",
            Int32 => "int32",
            Int64 => "int64",
            8 => "string",
            9 => "bool",
            Float16 => "float16",
            Double => "double",
            12 => "uint32",
            13 => "uint64",
            14 => "complex64",
            15 => "complex128",
            BFloat16 => "bfloat16",
            _ => "data type " + dataType.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
