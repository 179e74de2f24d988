using System.Numerics;
using Backprop.Interop;
using Backprop.Serialization;

namespace Backprop.Generator.Tests.Infrastructure;

/// <summary>
/// Model files written by the runtime's own writers (<c>Onnx.Save</c>, <c>SafeTensors.Save</c>,
/// <c>NetworkSerializer.Save</c>) for a declaration's architecture and given parameters, so the generator's reading of
/// each format is tested against exactly what the library writes.
/// </summary>
internal static class ModelFiles
{
    public static byte[] Onnx<T>(int inputs, (int Size, Activation Activation)[] layers, Loss loss, T[] parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Write(new StoredNetwork<T>(inputs, layers, loss, parameters), Backprop.Interop.Onnx.Save);

    public static byte[] SafeTensors<T>(int inputs, (int Size, Activation Activation)[] layers, Loss loss, T[] parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Write(new StoredNetwork<T>(inputs, layers, loss, parameters), (network, stream) => Backprop.Interop.SafeTensors.Save(network, stream));

    public static byte[] ModelFile<T>(int inputs, (int Size, Activation Activation)[] layers, Loss loss, T[] parameters, IReadOnlyDictionary<string, string>? metadata = null)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Write(new StoredNetwork<T>(inputs, layers, loss, parameters), (network, stream) => NetworkSerializer.Save(network, stream, metadata));

    /// <summary>Parameters that are each different and exactly representable in float: ±(i + 1)/64, in turn.</summary>
    public static T[] Parameters<T>(int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, count).Select(i => T.CreateChecked((i % 2 == 0 ? 1 : -1) * (i + 1) / 64.0))];

    public static int ParameterCount(int inputs, (int Size, Activation Activation)[] layers)
    {
        int count = 0;
        foreach ((int size, _) in layers)
        {
            count += (inputs + 1) * size;
            inputs = size;
        }

        return count;
    }

    private static byte[] Write<T>(INetwork<T> network, Action<INetwork<T>, Stream> save)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        save(network, stream);
        return stream.ToArray();
    }

    /// <summary>
    /// A network that only holds parameters and describes itself as the generator's declaration would: all the writers
    /// read (the Architecture text, the counts, the parameters). It cannot compute.
    /// </summary>
    private sealed class StoredNetwork<T>(int inputs, (int Size, Activation Activation)[] layers, Loss loss, T[] parameters) : INetwork<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public int InputCount => inputs;

        public int OutputCount => layers[^1].Size;

        public int ParameterCount => parameters.Length;

        // The generator's own text (its enums mirror the runtime's by value, which DefinitionTests ties).
        public string Architecture { get; } = Model.NetworkSpec.DescribeArchitecture(
            inputs,
            layers.Select(l => (l.Size, (Model.Activation)(int)l.Activation)),
            (Model.Loss)(int)loss,
            typeof(T) == typeof(double) ? Model.Precision.Double : Model.Precision.Single,
            parameters.Length);

        public Span<T> Parameters => parameters;

        public void InitializeParameters(int seed) => throw new NotSupportedException();

        public void Forward(ReadOnlySpan<T> input, Span<T> output) => throw new NotSupportedException();

        public T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => throw new NotSupportedException();

        public T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> gradient) => throw new NotSupportedException();

        public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate) => throw new NotSupportedException();

        public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => throw new NotSupportedException();
    }
}
