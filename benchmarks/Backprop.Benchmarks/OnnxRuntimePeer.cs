using Backprop.Interop;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Backprop.Benchmarks;

/// <summary>
/// ONNX Runtime (Microsoft.ML.OnnxRuntime, CPU execution provider) on a workload's network: the model
/// <see cref="Onnx.Save{T}(INetwork{T}, Stream)"/> writes from the generated network, one session with one intra-op and one
/// inter-op thread, sequential execution and every graph optimisation. Three ways to run it, each for one row
/// (Forward) and for <see cref="Workload.ForwardRows"/> rows (ForwardBatch):
/// <list type="bullet">
/// <item><b>OrtValue</b>: input and output <see cref="OrtValue"/>s made once over preallocated arrays
/// (<see cref="OrtValue.CreateTensorValueFromMemory{T}(T[], long[])"/>, which pins them), then
/// <c>session.Run(runOptions, inputNames, inputValues, outputNames, outputValues)</c>: nothing allocated per call
/// but what ONNX Runtime allocates inside.</item>
/// <item><b>IOBinding</b>: the same OrtValues bound once to an <see cref="OrtIoBinding"/>, then
/// <c>session.RunWithBinding(runOptions, binding)</c>.</item>
/// <item><b>DenseTensor</b>: the path users write from the samples: a <see cref="DenseTensor{T}"/> over the input
/// array, <see cref="NamedOnnxValue.CreateFromTensor{T}"/>, <c>session.Run(inputs)</c>, the output tensor's
/// values copied out and the results disposed, every call.</item>
/// </list>
/// </summary>
public sealed class OnnxRuntimePeer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly Rows _row;
    private readonly Rows _batch;
    private readonly Workload _workload;

    public OnnxRuntimePeer(Workload workload)
    {
        _workload = workload;
        Shape shape = workload.Shape;
        using SessionOptions options = new()
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        using var model = new MemoryStream();
        Onnx.Save(workload.Generated, model);
        _session = new InferenceSession(model.ToArray(), options);
        _row = new Rows(_session, workload.ForwardInputs.AsSpan(0, shape.InputCount).ToArray(), 1, shape);
        _batch = new Rows(_session, workload.ForwardInputs, Workload.ForwardRows, shape);
    }

    /// <summary>The version of the native library, for the table's notes.</summary>
    public static string Version => OrtEnv.Instance().GetVersionString();

    public void ForwardOrtValue() => _row.RunOrtValue(_session, _runOptions);

    public void ForwardIOBinding() => _row.RunIOBinding(_session, _runOptions);

    public void ForwardDenseTensor() => _row.RunDenseTensor(_session);

    public void ForwardBatchOrtValue() => _batch.RunOrtValue(_session, _runOptions);

    public void ForwardBatchIOBinding() => _batch.RunIOBinding(_session, _runOptions);

    public void ForwardBatchDenseTensor() => _batch.RunDenseTensor(_session);

    /// <summary>
    /// Throws unless every path's outputs, for one row and for the 256, are the generated network's (its Forward
    /// row by row) to a relative 1e-4. Run before timing (the global setup) and by <c>--verify</c>.
    /// </summary>
    public void Verify()
    {
        Shape shape = _workload.Shape;
        float[] expected = new float[Workload.ForwardRows * shape.OutputCount];
        for (int r = 0; r < Workload.ForwardRows; r++)
        {
            _workload.Generated.Forward(
                _workload.ForwardInputs.AsSpan(r * shape.InputCount, shape.InputCount),
                expected.AsSpan(r * shape.OutputCount, shape.OutputCount));
        }

        foreach ((string name, Action run) in new (string, Action)[]
        {
            ("OrtValue", ForwardOrtValue), ("IOBinding", ForwardIOBinding), ("DenseTensor", ForwardDenseTensor),
            ("OrtValue batch", ForwardBatchOrtValue), ("IOBinding batch", ForwardBatchIOBinding), ("DenseTensor batch", ForwardBatchDenseTensor),
        })
        {
            Rows path = name.EndsWith("batch", StringComparison.Ordinal) ? _batch : _row;
            Array.Clear(path.Output);
            run();
            _workload.Check($"ONNX Runtime {name} Forward", expected.AsSpan(0, path.Output.Length), path.Output);
        }
    }

    public void Dispose()
    {
        _row.Dispose();
        _batch.Dispose();
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>One input size (1 or 256 rows): its arrays, the OrtValues over them and their binding.</summary>
    private sealed class Rows : IDisposable
    {
        private static readonly string[] InputNames = [Onnx.InputName];
        private static readonly string[] OutputNames = [Onnx.OutputName];
        private readonly OrtValue[] _inputValues;
        private readonly OrtValue[] _outputValues;
        private readonly OrtIoBinding _binding;
        private readonly float[] _input;
        private readonly int[] _dimensions;

        public Rows(InferenceSession session, float[] input, int rows, Shape shape)
        {
            _input = input;
            Output = new float[rows * shape.OutputCount];
            _dimensions = [rows, shape.InputCount];
            _inputValues = [OrtValue.CreateTensorValueFromMemory(input, [rows, shape.InputCount])];
            _outputValues = [OrtValue.CreateTensorValueFromMemory(Output, [rows, shape.OutputCount])];
            _binding = session.CreateIoBinding();
            _binding.BindInput(Onnx.InputName, _inputValues[0]);
            _binding.BindOutput(Onnx.OutputName, _outputValues[0]);
        }

        public float[] Output { get; }

        public void RunOrtValue(InferenceSession session, RunOptions options) =>
            session.Run(options, InputNames, _inputValues, OutputNames, _outputValues);

        public void RunIOBinding(InferenceSession session, RunOptions options) => session.RunWithBinding(options, _binding);

        public void RunDenseTensor(InferenceSession session)
        {
            DenseTensor<float> tensor = new(_input, _dimensions);
            using IDisposableReadOnlyCollection<DisposableNamedOnnxValue> results =
                session.Run([NamedOnnxValue.CreateFromTensor(Onnx.InputName, tensor)]);
            ((DenseTensor<float>)results[0].AsTensor<float>()).Buffer.Span.CopyTo(Output);
        }

        public void Dispose()
        {
            _binding.Dispose();
            _inputValues[0].Dispose();
            _outputValues[0].Dispose();
        }
    }
}
