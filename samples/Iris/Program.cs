using System;
using Backprop.Training;
using System.IO;
using Iris;

// Iris: train 4 → 8 → 3 on Fisher's flowers with Adam, watch it converge, test it, draw the loss curve.
// Usage: dotnet run --project samples/Iris [-- path/to/loss.svg]
string svgPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "iris-loss.svg");

Console.WriteLine($"Network: {IrisNet.Architecture}");
var bar = new ConsoleProgress();
IrisResult result = IrisTraining.Run(progress: bar);
bar.Complete();

Console.WriteLine($"Trained on {result.Training.TrainingRows} flowers, validated on {result.Training.ValidationRows}: {result.Training.EpochsCompleted} epochs in {result.Training.Elapsed.TotalSeconds:F2} s");
Console.WriteLine($"Test accuracy: {result.TestAccuracy:P1} ({Math.Round(result.TestAccuracy * result.TestRows)} of {result.TestRows} held-out flowers)");

string title = $"Iris: {IrisNet.InputCount} → 8 tanh → {IrisNet.OutputCount} softmax, Adam (α = 0.01), batches of 16";
string subtitle = $"{result.Training.TrainingRows} training / {result.Training.ValidationRows} validation flowers; test accuracy {result.TestAccuracy:P1} on {result.TestRows}";
File.WriteAllText(svgPath, LossCurveSvg.Render(result.Training.History, title, subtitle));
Console.WriteLine($"Loss curve: {Path.GetFullPath(svgPath)}");
