using System.Numerics;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The README's guarantee: no allocation on the hot path. Once warm (TrainBatch allocates its gradient buffer on
/// first use; a rented scratch buffer comes back to the pool), no method allocates on the managed heap.
/// </summary>
/// <remarks>
/// The runtime itself occasionally allocates on the calling thread while it tiers a method up, so a
/// method passes when one of several rounds of calls allocates nothing: a method that allocates per
/// call allocates in every round.
/// </remarks>
public class AllocationTests
{
    private const int WarmUpCalls = 50;
    private const int Rounds = 5;
    private const int CallsPerRound = 10;

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void Warm_calls_allocate_nothing(string name)
        => NetworkRegistry.Get(name).CreateAndRun(AssertWarmCallsAllocateNothing, AssertWarmCallsAllocateNothing);

    private static void AssertWarmCallsAllocateNothing<T>(INetwork<T> network, Architecture architecture)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = new T[architecture.InputSize];
        var target = new T[architecture.OutputSize];
        var output = new T[architecture.OutputSize];
        var gradient = new T[architecture.ParameterCount];
        var inputs = new T[3 * architecture.InputSize];
        var targets = new T[3 * architecture.OutputSize];
        // More rows than one block of the batched methods, so that a second, partial block runs too.
        const int manyRows = 70;
        var manyInputs = new T[manyRows * architecture.InputSize];
        var manyTargets = new T[manyRows * architecture.OutputSize];
        var manyOutputs = new T[manyRows * architecture.OutputSize];
        T learningRate = T.CreateChecked(1e-3);
        Action[] calls =
        [
            () => network.Forward(input, output),
            () => network.ComputeLoss(input, target),
            () => network.Backward(input, target, gradient),
            () => network.TrainStep(input, target, learningRate),
            () => network.TrainBatch(inputs, targets, learningRate),
            () => network.ForwardBatch(manyInputs, manyOutputs),
            () => network.BackwardBatch(manyInputs, manyTargets, gradient),
        ];
        string[] names = ["Forward", "ComputeLoss", "Backward", "TrainStep", "TrainBatch", "ForwardBatch", "BackwardBatch"];

        for (int c = 0; c < calls.Length; c++)
        {
            for (int call = 0; call < WarmUpCalls; call++)
            {
                calls[c]();
            }

            var allocatedPerRound = new List<long>();
            for (int round = 0; round < Rounds && !allocatedPerRound.Contains(0); round++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int call = 0; call < CallsPerRound; call++)
                {
                    calls[c]();
                }

                allocatedPerRound.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            }

            Assert.True(
                allocatedPerRound.Contains(0),
                $"Every round of {CallsPerRound} warm calls of {names[c]} allocated: {string.Join(", ", allocatedPerRound)} bytes.");
        }
    }
}
