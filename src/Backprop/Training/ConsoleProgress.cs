using System;
using System.Globalization;
using System.IO;

namespace Backprop.Training;

/// <summary>
/// Shows training as it goes, on the training thread: in a terminal, one line that fills up epoch by epoch (a bar, the
/// epoch, the losses, the validation accuracy, the time); when the output is redirected (CI, a file), a plain line for
/// the first epoch and every tenth of the run. Pass it as <c>Fit</c>'s progress; call <see cref="Complete"/> after.
/// </summary>
/// <remarks>
/// Unlike <see cref="Progress{T}"/>, which posts every report to the thread pool (or the synchronization context) so
/// that lines arrive out of order and after <c>Fit</c> has returned, it writes each report before the next epoch
/// starts.
/// </remarks>
/// <example>
/// <code>
/// var progress = new ConsoleProgress();
/// TrainingResult result = trainer.Fit(inputs, targets, options, progress);
/// progress.Complete();
/// </code>
/// </example>
public sealed class ConsoleProgress : IProgress<EpochProgress>
{
    private const int Width = 30;
    private readonly TextWriter _writer;
    private readonly bool _interactive;
    private bool _open;

    /// <summary>Writes to <see cref="Console.Out"/>: the filling bar in a terminal, plain lines when the output is redirected.</summary>
    public ConsoleProgress()
        : this(Console.Out, interactive: !Console.IsOutputRedirected)
    {
    }

    /// <summary>Writes to <paramref name="writer"/>: the filling bar (redrawn with a carriage return) or plain lines.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="interactive">True for the bar, false for a line per tenth of the run.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public ConsoleProgress(TextWriter writer, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
        _interactive = interactive;
    }

    /// <inheritdoc/>
    public void Report(EpochProgress value)
    {
        string line = Describe(value);
        if (_interactive)
        {
            int filled = (int)Math.Round((double)value.Epoch / Math.Max(1, value.Epochs) * Width);
            filled = Math.Clamp(filled, 0, Width);
            _writer.Write($"\r[{new string('█', filled)}{new string('░', Width - filled)}] {line}   ");
            _open = true;
        }
        else if (value.Epoch == 1 || value.Epoch % Math.Max(1, value.Epochs / 10) == 0)
        {
            _writer.WriteLine(line);
        }
    }

    /// <summary>Ends the bar's line, so what is written next starts on a line of its own; call once training returns.</summary>
    public void Complete()
    {
        if (_open)
        {
            _writer.WriteLine();
            _open = false;
        }
    }

    /// <summary>"epoch  7/100  loss 0.4121  val loss 0.4470  val acc 91.7%  0.12 s".</summary>
    public static string Describe(EpochProgress progress)
    {
        string epochs = progress.Epochs.ToString(CultureInfo.InvariantCulture);
        string text = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {progress.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(epochs.Length)}/{epochs}  loss {progress.TrainLoss:F4}");
        if (progress.ValidationLoss is double validationLoss)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val loss {validationLoss:F4}");
        }

        if (progress.ValidationAccuracy is double accuracy)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val acc {accuracy * 100:F1}%");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $"  {progress.Elapsed.TotalSeconds:F2} s");
    }
}
