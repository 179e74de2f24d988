using System.Collections.Generic;
using System.Linq;
using Backprop.Generator.Model;

namespace Backprop.Generator.Planning;

/// <summary>
/// Lays out each generated method's scratch buffer: the vectors a kernel reads or writes (a span layer's z, a and
/// δ), and in the register form the output layer's, which the span code for its activation, loss and δ shares.
/// </summary>
internal static class ScratchLayout
{
    /// <summary>Scratch buffers up to this size live on the stack; larger ones are rented from ArrayPool.</summary>
    public const int StackBytes = 16 * 1024;

    /// <summary>
    /// The most values a method keeps per neuron: z, a and δ. The parser's limit on neurons is this many to one
    /// array (BP0016), and <see cref="Plan"/> never lays out more.
    /// </summary>
    public const int MaximumValuesPerNeuron = 3;

    public static MethodPlan Plan(NetworkPlan network, GeneratedMethod method)
    {
        // In registers no vector goes through memory: the output layer's z, y and δ are vector locals too.
        List<(string Name, int Length)> vectors = method.RunsInRegisters() ? new List<(string Name, int Length)>()
            : method.RunsBatches() ? BatchVectors(network, method)
            : SpanVectors(network, method, network.Layers.Where(l => l.Storage == VectorStorage.Span));

        var slices = new List<ScratchSlice>(vectors.Count);
        int offset = 0;
        foreach ((string name, int length) in vectors)
        {
            slices.Add(new ScratchSlice(name, offset, length));
            offset += length;
        }

        int elementBytes = network.Precision == Precision.Double ? 8 : 4;
        ScratchLocation location = slices.Count == 0 ? ScratchLocation.None
            : method.RunsInRegisters() || (long)offset * elementBytes <= StackBytes ? ScratchLocation.Stack
            : ScratchLocation.Pooled;
        return new MethodPlan(method, location, slices.ToEquatableArray());
    }

    /// <summary>
    /// The vectors of the given layers: z where it is kept, a (but y in Forward and ForwardBatch, which write the
    /// caller's span), δ when backpropagating.
    /// </summary>
    private static List<(string Name, int Length)> SpanVectors(NetworkPlan network, GeneratedMethod method, IEnumerable<LayerPlan> layers)
    {
        var vectors = new List<(string Name, int Length)>();
        foreach (LayerPlan layer in layers)
        {
            bool isOutput = layer.Number == network.OutputLayer.Number;
            if (network.KeepsPreActivation(layer, method))
            {
                vectors.Add(($"z{layer.Number}", layer.Size));
            }

            if (!(isOutput && method is (GeneratedMethod.Forward or GeneratedMethod.ForwardBatch)))
            {
                vectors.Add(($"a{layer.Number}", layer.Size));
            }

            if (method.Backpropagates())
            {
                vectors.Add(($"delta{layer.Number}", layer.Size));
            }
        }

        return vectors;
    }

    /// <summary>
    /// A batched method keeps every layer's vectors in block buffers, whatever the layer's per-row emission: each
    /// vector of a layer of n neurons is n × <see cref="NetworkPlan.BatchBlockRows"/> long, row by row.
    /// </summary>
    /// <remarks>A softmax output whose loss reads logsumexp(z) keeps one more value per row, that logsumexp.</remarks>
    private static List<(string Name, int Length)> BatchVectors(NetworkPlan network, GeneratedMethod method)
    {
        List<(string Name, int Length)> perRow = SpanVectors(network, method, network.Layers);
        if (network.ReadsLogSumExp(method))
        {
            perRow.Add(("logSumExp", 1));
        }

        return perRow.Select(v => (v.Name + "Rows", v.Length * network.BatchBlockRows)).ToList();
    }
}
