using System.Collections.Concurrent;
using System.Numerics;

namespace Backprop.Training.Tests;

/// <summary>64 → 32 ReLU → 10 softmax, float: big enough (2,410 parameters) that blocks of rows are real work.</summary>
[Network(Loss.CrossEntropy)]
[Input(64)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Digits64;

/// <summary>The same in double.</summary>
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(64)]
[Dense(32, Activation.ReLU)]
[Dense(10, Activation.Softmax)]
public partial class Digits64Double;

/// <summary>
/// A network that passes every call to another and watches the batch calls: on which threads they ran, how many ran
/// at once; it can make each one take a while (so that several threads really share the work) or throw.
/// </summary>
internal sealed class ObservedNetwork<T>(INetwork<T> inner) : INetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private int _running;
    private int _calls;

    /// <summary>Milliseconds each batch call sleeps before its work; 0 for none.</summary>
    public int DelayMilliseconds { get; init; }

    /// <summary>Whether to record the threads (which allocates); off for allocation tests.</summary>
    public bool RecordThreads { get; init; } = true;

    /// <summary>Throws from the batch call with this number (from 1), if set.</summary>
    public int? ThrowOnCall { get; set; }

    public ConcurrentDictionary<int, int> Threads { get; } = new();

    public int MostAtOnce { get; private set; }

    /// <summary>The batch calls running now: 0 whenever no call of the trainer or ForwardBatch is under way.</summary>
    public int Running => Volatile.Read(ref _running);

    public int Calls => Volatile.Read(ref _calls);

    public int InputCount => inner.InputCount;

    public int OutputCount => inner.OutputCount;

    public int ParameterCount => inner.ParameterCount;

    public string Architecture => inner.Architecture;

    public Span<T> Parameters => inner.Parameters;

    public void InitializeParameters(int seed) => inner.InitializeParameters(seed);

    public void Forward(ReadOnlySpan<T> input, Span<T> output) => inner.Forward(input, output);

    public T ComputeLoss(ReadOnlySpan<T> input, ReadOnlySpan<T> target) => inner.ComputeLoss(input, target);

    public T Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> target, Span<T> gradient) => inner.Backward(input, target, gradient);

    public T TrainStep(ReadOnlySpan<T> input, ReadOnlySpan<T> target, T learningRate) => inner.TrainStep(input, target, learningRate);

    public T TrainBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, T learningRate) => inner.TrainBatch(inputs, targets, learningRate);

    public void ForwardBatch(ReadOnlySpan<T> inputs, Span<T> outputs)
    {
        Enter();
        try
        {
            inner.ForwardBatch(inputs, outputs);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    public T BackwardBatch(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, Span<T> gradient)
    {
        Enter();
        try
        {
            return inner.BackwardBatch(inputs, targets, gradient);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private void Enter()
    {
        int running = Interlocked.Increment(ref _running);
        int call = Interlocked.Increment(ref _calls);
        lock (Threads)
        {
            MostAtOnce = Math.Max(MostAtOnce, running);
        }

        if (RecordThreads)
        {
            Threads.TryAdd(Environment.CurrentManagedThreadId, 0);
        }

        if (DelayMilliseconds > 0)
        {
            Thread.Sleep(DelayMilliseconds);
        }

        if (call == ThrowOnCall)
        {
            Interlocked.Decrement(ref _running);
            throw new InvalidOperationException($"Batch call {call} fails on purpose.");
        }
    }
}
