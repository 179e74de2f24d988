using System;
using Backprop;

// XOR: the smallest problem a single layer cannot solve. Four samples, two inputs, one output.
float[][] inputs = [[0, 0], [0, 1], [1, 0], [1, 1]];
float[][] targets = [[0], [1], [1], [0]];

var network = new XorNetwork();
network.InitializeParameters(seed: 1);

const float learningRate = 0.5f;
const int epochs = 2000;
Console.WriteLine($"Network: {XorNetwork.Architecture}");
Console.WriteLine($"Training on XOR with SGD, α = {learningRate}, {epochs} epochs");
for (int epoch = 1; epoch <= epochs; epoch++)
{
    float lossSum = 0;
    for (int i = 0; i < inputs.Length; i++)
    {
        lossSum += network.TrainStep(inputs[i], targets[i], learningRate);
    }

    if (epoch == 1 || epoch % 200 == 0)
    {
        Console.WriteLine($"epoch {epoch,5}   mean loss {lossSum / inputs.Length:F6}");
    }
}

Console.WriteLine();
Console.WriteLine("input    target  output");
Span<float> output = stackalloc float[XorNetwork.OutputCount];
for (int i = 0; i < inputs.Length; i++)
{
    network.Forward(inputs[i], output);
    Console.WriteLine($"{inputs[i][0]} xor {inputs[i][1]}  {targets[i][0],6}  {output[0],6:F4}");
}

/// <summary>2 inputs → 4 tanh → 1 sigmoid, trained with binary cross-entropy.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class XorNetwork;
