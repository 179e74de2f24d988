using System;
using Backprop.Training;
using Regression;

// Regression: fit sin(x) on [−π, π] with one tanh hidden layer and a linear output, mean squared error.
Console.WriteLine($"Network: {SineNet.Architecture}");
var bar = new ConsoleProgress();
RegressionResult result = RegressionTraining.Run(progress: bar);
bar.Complete();

Console.WriteLine($"{result.Training.EpochsCompleted} epochs in {result.Training.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"On {RegressionTraining.TestPoints} evenly spaced x in [−π, π]: mean squared error {result.TestMeanSquaredError:0.00E+0}, largest |sin x − ŷ| {result.TestMaxAbsoluteError:F4}");
Console.WriteLine();
Console.WriteLine("     x      sin x   network");
Span<double> y = stackalloc double[1];
for (int i = -4; i <= 4; i++)
{
    double x = i * Math.PI / 4;
    result.Network.Forward([x / Math.PI], y);
    Console.WriteLine($"{x,7:F3}  {Math.Sin(x),8:F4}  {y[0],8:F4}");
}
