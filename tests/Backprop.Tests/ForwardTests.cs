using Backprop.Tests.Numerics;
using Backprop.Tests.Reference;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>Forward and ComputeLoss against the straightforward reference implementation.</summary>
public class ForwardTests
{
    private const int SamplesPerNetwork = 5;

    /// <summary>Same formulas, different summation order and vectorised activations: a few ulps per layer.</summary>
    private const double OutputTolerance = 1e-12;

    /// <summary>Outputs below this (a ReLU at 0, an identity output that cancels) are compared absolutely.</summary>
    private const double OutputFloor = 1e-9;

    /// <summary>The loss is computed from logits by the network and from y by the reference: equal, not identical.</summary>
    private const double LossTolerance = 1e-10;

    private const double LossFloor = 1e-12;

    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void Forward_matches_the_reference_implementation(string name)
    {
        (DoubleNetworkCase network, INetwork<double> instance, ReferenceNetwork reference, IReadOnlyList<Sample> samples) = Prepare(name);
        var output = new double[network.Architecture.OutputSize];
        for (int n = 0; n < samples.Count; n++)
        {
            instance.Forward(samples[n].Input, output);

            NumericAssert.AllClose(
                reference.Forward(samples[n].Input), output, OutputTolerance, OutputFloor, $"{network}, sample {n}: Forward (actual) vs reference (expected)");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void ComputeLoss_matches_the_reference_loss(string name)
    {
        (DoubleNetworkCase network, INetwork<double> instance, ReferenceNetwork reference, IReadOnlyList<Sample> samples) = Prepare(name);
        for (int n = 0; n < samples.Count; n++)
        {
            double loss = instance.ComputeLoss(samples[n].Input, samples[n].Target);

            NumericAssert.Close(
                reference.ComputeLoss(samples[n].Input, samples[n].Target), loss, LossTolerance, LossFloor, $"{network}, sample {n}: ComputeLoss (actual) vs reference (expected)");
        }
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void Forward_and_ComputeLoss_leave_the_parameters_alone(string name)
    {
        (_, INetwork<double> instance, _, IReadOnlyList<Sample> samples) = Prepare(name);
        double[] before = instance.Parameters.ToArray();

        instance.Forward(samples[0].Input, new double[instance.OutputCount]);
        instance.ComputeLoss(samples[0].Input, samples[0].Target);

        Assert.Equal(before, instance.Parameters.ToArray());
    }

    /// <summary>Forward on one instance from several threads at once gives exactly the sequential outputs.</summary>
    [Theory]
    [MemberData(nameof(NetworkRegistry.DoubleNames), MemberType = typeof(NetworkRegistry))]
    public void Forward_is_thread_safe(string name)
    {
        (DoubleNetworkCase network, INetwork<double> instance, _, IReadOnlyList<Sample> samples) = Prepare(name);
        double[][] sequential = samples.Select(s =>
        {
            var output = new double[network.Architecture.OutputSize];
            instance.Forward(s.Input, output);
            return output;
        }).ToArray();
        int mismatches = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, thread =>
        {
            var output = new double[network.Architecture.OutputSize];
            for (int call = 0; call < 100; call++)
            {
                int n = (thread + call) % samples.Count;
                instance.Forward(samples[n].Input, output);
                if (!output.AsSpan().SequenceEqual(sequential[n]))
                {
                    Interlocked.Increment(ref mismatches);
                }
            }
        });

        Assert.Equal(0, mismatches);
    }

    private static (DoubleNetworkCase Network, INetwork<double> Instance, ReferenceNetwork Reference, IReadOnlyList<Sample> Samples) Prepare(string name)
    {
        DoubleNetworkCase network = NetworkRegistry.GetDouble(name);
        INetwork<double> instance = network.Create();
        (double[] parameters, IReadOnlyList<Sample> samples) = Samples.Setup(instance, network.Architecture, seed: 31, SamplesPerNetwork);
        return (network, instance, new ReferenceNetwork(network.Architecture, parameters), samples);
    }
}
