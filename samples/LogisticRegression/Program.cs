using System;
using Backprop.Training;
using LogisticRegression;

// Logistic regression: no hidden layer, a sigmoid output and binary cross-entropy. Is this iris a virginica?
Console.WriteLine($"Network: {VirginicaNet.Architecture}");
var bar = new ConsoleProgress();
LogisticRegressionResult result = LogisticRegressionTraining.Run(progress: bar);
bar.Complete();

Console.WriteLine($"{result.Training.EpochsCompleted} epochs in {result.Training.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"Test accuracy: {result.TestAccuracy:P1} on {result.TestRows} held-out flowers");
Console.WriteLine();
Console.WriteLine("P(virginica) = σ(w·z + b), z = standardised measurements:");
ReadOnlySpan<float> parameters = result.Network.Parameters;
for (int i = 0; i < result.FeatureNames.Length; i++)
{
    Console.WriteLine($"  {$"w[{result.FeatureNames[i]}]",-20} = {parameters[i],7:F3}");
}

Console.WriteLine($"  {"b",-20} = {parameters[^1],7:F3}");
