using System.Numerics;
using Backprop.Tests.Networks;

namespace Backprop.Tests;

/// <summary>The smallest problem a single layer cannot solve, learnt end to end with TrainStep.</summary>
public class XorTrainingTests
{
    private static readonly double[][] Inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
    private static readonly double[][] Targets = [[0], [1], [1], [0]];

    [Fact]
    public void The_float_network_learns_xor_with_TrainStep() => AssertLearnsXor(new XorNetworkFloat());

    [Fact]
    public void The_double_network_learns_xor_with_TrainStep() => AssertLearnsXor(new XorNetwork());

    private static void AssertLearnsXor<T>(INetwork<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int epochs = 2_000;
        T[][] inputs = Inputs.Select(Convert<T>).ToArray();
        T[][] targets = Targets.Select(Convert<T>).ToArray();
        T learningRate = T.CreateChecked(0.5);
        network.InitializeParameters(seed: 1);
        double untrainedLoss = MeanLoss(network, inputs, targets);

        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                network.TrainStep(inputs[i], targets[i], learningRate);
            }
        }

        double trainedLoss = MeanLoss(network, inputs, targets);
        Assert.True(untrainedLoss > 0.5, $"The untrained network already fits XOR (mean loss {untrainedLoss}).");
        Assert.True(trainedLoss < 0.01, $"Mean loss after {epochs} epochs: {trainedLoss} (untrained: {untrainedLoss}).");
        var output = new T[1];
        for (int i = 0; i < inputs.Length; i++)
        {
            network.Forward(inputs[i], output);
            Assert.InRange(double.CreateChecked(output[0]), Targets[i][0] - 0.05, Targets[i][0] + 0.05);
        }
    }

    private static double MeanLoss<T>(INetwork<T> network, T[][] inputs, T[][] targets)
        where T : unmanaged, IFloatingPointIeee754<T>
        => inputs.Zip(targets, (input, target) => double.CreateChecked(network.ComputeLoss(input, target))).Average();

    private static T[] Convert<T>(double[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => values.Select(T.CreateChecked).ToArray();
}
