using System;
using Backprop.Training;
using System.IO;
using Digits;

// Digits: 64 → 32 → 10 on 8×8 handwritten digits with AdamW and early stopping; save, reload, re-evaluate.
// Usage: dotnet run --project samples/Digits [-- path/to/model.bpn]
string modelPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "digits.bpn");

Console.WriteLine($"Network: {DigitsNet.Architecture}");
var bar = new ConsoleProgress();
DigitsResult result = DigitsTraining.Run(modelPath, progress: bar);
bar.Complete();

Console.WriteLine($"{result.Training.StopReason} after {result.Training.EpochsCompleted} epochs in {result.Training.Elapsed.TotalSeconds:F2} s; kept epoch {result.Training.BestEpoch} (lowest validation loss {result.Training.BestValidationLoss:F4})");
Console.WriteLine($"Test accuracy:             {result.TestAccuracy:P2} on {result.TestRows} held-out images");
Console.WriteLine($"Saved {result.ModelBytes:N0} bytes to {result.ModelPath}");
Console.WriteLine($"Reloaded, test accuracy:   {result.ReloadedTestAccuracy:P2}{(result.ReloadedTestAccuracy == result.TestAccuracy ? " (the same)" : " (DIFFERENT!)")}");
