using System;
using System.Globalization;
using Backprop.Training;

namespace Samples.Shared;

/// <summary>
/// Draws one line per training run that fills up epoch by epoch: a bar, the epoch, the losses and the validation
/// accuracy. When the output is redirected (CI, a file) it prints a plain line every tenth of the run instead.
/// Reports arrive on the training thread (unlike <see cref="Progress{T}"/>, which posts them to the thread pool,
/// out of order with the console).
/// </summary>
internal sealed class ConsoleProgressBar : IProgress<EpochProgress>
{
    private const int Width = 30;
    private readonly bool _interactive = !Console.IsOutputRedirected;

    public void Report(EpochProgress value)
    {
        string line = Describe(value);
        if (_interactive)
        {
            int filled = (int)Math.Round((double)value.Epoch / value.Epochs * Width);
            Console.Write($"\r[{new string('█', filled)}{new string('░', Width - filled)}] {line}   ");
        }
        else if (value.Epoch == 1 || value.Epoch % Math.Max(1, value.Epochs / 10) == 0)
        {
            Console.WriteLine(line);
        }
    }

    /// <summary>Ends the bar's line; call once training returns.</summary>
    public void Complete()
    {
        if (_interactive)
        {
            Console.WriteLine();
        }
    }

    private static string Describe(EpochProgress p)
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch.ToString().PadLeft(p.Epochs.ToString().Length)}/{p.Epochs}  loss {p.TrainLoss:F4}");
        if (p.ValidationLoss is double validationLoss)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val loss {validationLoss:F4}");
        }

        if (p.ValidationAccuracy is double accuracy)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"  val acc {accuracy:P1}");
        }

        return text + string.Create(CultureInfo.InvariantCulture, $"  {p.Elapsed.TotalSeconds:F2} s");
    }
}
