using System;
using System.IO;
using Interop;

// Interop: run a PyTorch-trained Iris model whose ONNX file is compiled into this program, then train a network here,
// export it to ONNX and run it with ONNX Runtime.
// Usage: dotnet run --project samples/Interop [-- path/to/exported.onnx]
string onnxPath = args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "iris-trained-here.onnx");
InteropResult result = InteropDemo.Run(onnxPath);

Console.WriteLine("PyTorch → here: the classifier PyTorch trained, its weights compiled in from iris.onnx (no file read)");
Console.WriteLine($"  {PyTorchIrisNet.Architecture}");
Console.WriteLine($"  accuracy on Fisher's {result.Rows} flowers: {result.PyTorchAccuracy:P1}");
float[] probabilities = new float[PyTorchIrisNet.OutputCount];
foreach (int row in new[] { 0, 75, 149 })
{
    result.PyTorchModel.Forward(result.Measurements.AsSpan(row * PyTorchIrisNet.InputCount, PyTorchIrisNet.InputCount), probabilities);
    string predicted = result.SpeciesNames[InteropDemo.ArgMax(probabilities)];
    Console.WriteLine(
        $"  flower {row + 1,3} ({result.SpeciesNames[result.Species[row]]}): predicted {predicted}, " +
        $"p = {string.Join(" / ", Array.ConvertAll(probabilities, p => p.ToString("F3")))}");
}

Console.WriteLine();
Console.WriteLine($"Here → ONNX Runtime: {IrisNet.Architecture}");
Console.WriteLine($"  trained here for {InteropDemo.DefaultEpochs} epochs: accuracy {result.TrainedAccuracy:P1}; exported to {Path.GetFullPath(result.OnnxPath)}");
bool agree = result.SamePredictions == result.Rows && result.LargestDifference <= 1e-6;
Console.WriteLine(
    $"  ONNX Runtime and this network {(agree ? "agree" : "DISAGREE")} on the {result.Rows} flowers: " +
    $"largest difference in a probability {result.LargestDifference:E1}, the same species for {result.SamePredictions} of {result.Rows}");
return agree ? 0 : 1;
