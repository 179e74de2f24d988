using System;
using System.Collections.Generic;
using System.IO;
using System.Numerics;
using Backprop.Interop.Formats;
using Backprop.Internal;
using Backprop.Serialization;

namespace Backprop.Interop;

/// <summary>
/// Saves a network as a standard ONNX model, for ONNX Runtime and every other ONNX consumer, and loads the weights of
/// an ONNX dense network (from <c>torch.onnx.export</c>, tf2onnx or <see cref="Save{T}(INetwork{T}, Stream)"/>) into a
/// generated network of the same architecture.
/// </summary>
/// <remarks>
/// <para>
/// <b>Saving</b> writes opset 13: input <c>input</c> and output <c>output</c>, both [batch, n] with a symbolic batch
/// dimension, float or double as the network is; per layer one <c>Gemm</c> (transB = 1) whose initializers are named
/// as PyTorch names an <c>nn.Sequential</c>'s (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, …), then the
/// activation: <c>Sigmoid</c>, <c>Tanh</c>, <c>Relu</c>, <c>LeakyRelu</c> (α = 0.01), <c>Elu</c> (α = 1),
/// <c>Softplus</c>, <c>Softmax</c> (axis −1), SiLU as <c>Sigmoid</c> · <c>Mul</c>, exact GELU as
/// <c>Div</c> → <c>Erf</c> → <c>Add</c> → <c>Mul</c> → <c>Mul</c>, and nothing for Identity.
/// </para>
/// <para>
/// <b>Loading</b> reads a chain of <c>Gemm</c> (either transB) or <c>MatMul</c> + <c>Add</c> layers, each followed by
/// its activation written in any element-wise operators (the activation is recognised by what it computes, so every
/// exporter's spelling of GELU or SiLU is read) or by <c>Softmax</c> on the last axis. It checks the graph against the
/// network's architecture (input size, each layer's size and activation, the element type) and everything else in the
/// file before it changes anything: a mismatch, an operator a dense network does not have (<c>Conv</c>, a
/// <c>Dropout</c> left in a training-mode export, <c>BatchNormalization</c>), float16 tensors, or damaged bytes throw
/// <see cref="ModelFormatException"/> naming the first problem, as does a weight that is NaN or infinite, and the network
/// keeps its parameters.
/// </para>
/// </remarks>
public static class Onnx
{
    /// <summary>The name of the graph input <see cref="Save{T}(INetwork{T}, Stream)"/> writes: [batch, inputs].</summary>
    public const string InputName = OnnxModelWriter.InputName;

    /// <summary>The name of the graph output <see cref="Save{T}(INetwork{T}, Stream)"/> writes: [batch, outputs].</summary>
    public const string OutputName = OnnxModelWriter.OutputName;

    /// <summary>The largest ONNX file read: protobuf's own limit of 2 GB for one message.</summary>
    private const long MaxFileLength = int.MaxValue;

    /// <summary>Writes the network as an ONNX model to <paramref name="stream"/>, from its current position.</summary>
    /// <param name="network">The network to save.</param>
    /// <param name="stream">A writable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The network's architecture does not describe dense layers (generated networks always do).</exception>
    public static void Save<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        FiniteParameters.RequireForSave(network);
        stream.Write(OnnxModelWriter.Write(DenseLayerLayout.Of(network), network.Parameters));
    }

    /// <summary>
    /// Saves the network as an ONNX model at <paramref name="path"/>, atomically: readers see the old file or the new
    /// one, never a part of either.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace. Its directory must exist.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or as for the <see cref="Stream"/> overload.</exception>
    /// <exception cref="IOException">The file could not be written or replaced.</exception>
    public static void Save<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        FiniteParameters.RequireForSave(network);
        byte[] model = OnnxModelWriter.Write(DenseLayerLayout.Of(network), network.Parameters);
        AtomicFile.Write(path, file => file.Write(model));
    }

    /// <summary>
    /// Reads an ONNX model from <paramref name="stream"/> (from its current position to its end) and sets the network's
    /// parameters to its weights. Everything is checked first; if anything is wrong, the network is left unchanged.
    /// </summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="stream">A readable stream; it is not closed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException">The network's architecture does not describe dense layers.</exception>
    /// <exception cref="ModelFormatException">
    /// The data is not an ONNX model, is truncated or corrupted, is not a dense network this library can run, or is one of
    /// another architecture or element type. <see cref="ModelFormatException.Error"/> says which, the message what.
    /// </exception>
    public static void Load<T>(INetwork<T> network, Stream stream)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes = ReadToEnd(stream, "The ONNX data");
        Read(network, bytes, "The ONNX data").CopyTo(network.Parameters);
    }

    /// <summary>
    /// Reads the ONNX model at <paramref name="path"/> and sets the network's parameters to its weights. Everything is
    /// checked first; if anything is wrong, the network is left unchanged.
    /// </summary>
    /// <param name="network">The network to load into.</param>
    /// <param name="path">The ONNX file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or as for the <see cref="Stream"/> overload.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="ModelFormatException">As for the <see cref="Stream"/> overload.</exception>
    public static void Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        string subject = $"The ONNX file '{path}'";
        byte[] bytes;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan))
        {
            if (file.Length > MaxFileLength)
            {
                throw new ModelFormatException(ModelFormatError.NotAModelFile, $"{subject} is {file.Length} bytes, more than the 2 GB an ONNX model holds.");
            }

            bytes = ReadToEnd(file, subject);
        }

        Read(network, bytes, subject).CopyTo(network.Parameters);
    }

    private static T[] Read<T>(INetwork<T> network, byte[] bytes, string subject)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        DenseLayerLayout layout = DenseLayerLayout.Of(network);
        bool isDouble = typeof(T) == typeof(double);
        DenseStack stack;
        try
        {
            stack = OnnxDenseStackReader.Read(OnnxGraph.Read(bytes, subject));
        }
        catch (InvalidModelException exception)
        {
            throw ModelFormat.From(exception);
        }

        if (stack.IsDouble != isDouble)
        {
            throw new ModelFormatException(
                ModelFormatError.PrecisionMismatch,
                $"{subject} holds a {stack.ElementTypeName} network; this network computes in {(isDouble ? "double" : "float")}.");
        }

        var expected = new List<(int, string)>();
        foreach (DenseLayerLayout.Layer layer in layout.Layers)
        {
            expected.Add((layer.Outputs, layer.Activation));
        }

        if (stack.FirstDifference(layout.Layers[0].Inputs, expected) is string difference)
        {
            throw new ModelFormatException(
                ModelFormatError.ArchitectureMismatch,
                $"{subject} holds {stack.Describe()}, which does not fit the network ({layout.Architecture}): {difference}.");
        }

        if (stack.FirstNonFinite() is string nonFinite)
        {
            throw new ModelFormatException(
                ModelFormatError.Corrupted,
                $"{subject} holds a value that is not a finite number: {nonFinite}. A model with one computes nothing useful; it comes from a diverged training run or a damaged file.");
        }

        var parameters = new T[network.ParameterCount];
        for (int k = 0; k < layout.Layers.Count; k++)
        {
            DenseLayerLayout.Layer layer = layout.Layers[k];
            DenseStackLayer found = stack.Layers[k];
            for (int i = 0; i < found.Weights.Length; i++)
            {
                parameters[layer.WeightOffset + i] = T.CreateChecked(found.Weights[i]);
            }

            for (int j = 0; j < found.Biases.Length; j++)
            {
                parameters[layer.BiasOffset + j] = T.CreateChecked(found.Biases[j]);
            }
        }

        return parameters;
    }

    /// <summary>Reads what is left of <paramref name="stream"/>, in chunks as it arrives, up to protobuf's 2 GB.</summary>
    private static byte[] ReadToEnd(Stream stream, string subject)
    {
        using var collected = new MemoryStream();
        byte[] buffer = new byte[1 << 16];
        int got;
        while ((got = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (collected.Length + got > MaxFileLength)
            {
                throw new ModelFormatException(ModelFormatError.NotAModelFile, $"{subject} is more than the 2 GB an ONNX model holds.");
            }

            collected.Write(buffer, 0, got);
        }

        return collected.ToArray();
    }
}
