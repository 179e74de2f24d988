using System;

namespace Backprop.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread, in order: what a training
/// loop's progress needs. <see cref="Progress{T}"/> posts each report to the synchronization context or the thread
/// pool instead, so its handler may run out of order (epoch 1 after epoch 612) and after <c>Fit</c> has returned.
/// </summary>
/// <typeparam name="T">The report.</typeparam>
/// <example>
/// <code>
/// var losses = new List&lt;double&gt;();
/// trainer.Fit(inputs, targets, options, new SynchronousProgress&lt;EpochProgress&gt;(p =&gt; losses.Add(p.TrainLoss)));
/// </code>
/// </example>
public sealed class SynchronousProgress<T> : IProgress<T>
{
    private readonly Action<T> _handler;

    /// <summary>Creates a progress that calls <paramref name="handler"/> with every report.</summary>
    /// <param name="handler">Called on the reporting thread, before <c>Report</c> returns.</param>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public SynchronousProgress(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
    }

    /// <inheritdoc/>
    public void Report(T value) => _handler(value);
}
