using Backprop.Optimizers;

namespace Backprop.Training.Tests;

/// <summary>The library's progress reporters: both report on the training thread, in order, before Fit returns.</summary>
public sealed class ProgressTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void SynchronousProgress_sees_every_epoch_in_order_before_Fit_returns()
    {
        (float[] x, float[] y) = Data.Blobs<float>(5, seed: 1);
        var trainer = new Trainer<float>(new Classifier(), new Sgd<float>(Classifier.ParameterCount));
        var epochs = new List<int>();
        int thread = Environment.CurrentManagedThreadId;
        bool sameThread = true;

        TrainingResult result = trainer.Fit(x, y, new TrainingOptions { Epochs = 50 }, new SynchronousProgress<EpochProgress>(p =>
        {
            epochs.Add(p.Epoch);
            sameThread &= Environment.CurrentManagedThreadId == thread;
        }), Ct);

        Assert.Equal(Enumerable.Range(1, 50), epochs);
        Assert.True(sameThread);
        Assert.Equal(result.History.Select(h => h.Epoch), epochs);
        Assert.Throws<ArgumentNullException>(() => new SynchronousProgress<EpochProgress>(null!));
    }

    [Fact]
    public void ConsoleProgress_in_a_log_writes_the_first_epoch_and_every_tenth()
    {
        var writer = new StringWriter();
        var progress = new ConsoleProgress(writer, interactive: false);
        for (int epoch = 1; epoch <= 30; epoch++)
        {
            progress.Report(new EpochProgress(epoch, 30, 0.5, epoch % 2 == 0 ? 0.25 : null, 0.875, TimeSpan.FromSeconds(1.5)));
        }

        progress.Complete();

        string[] lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["epoch  1/30", "epoch  3/30", "epoch  6/30", "epoch  9/30"], lines.Take(4).Select(l => l[..11]));
        Assert.Equal(11, lines.Length); // 1, then 3, 6, …, 30
        Assert.Equal("epoch  6/30  loss 0.5000  val loss 0.2500  val acc 87.5%  1.50 s", lines[2]);
    }

    [Fact]
    public void ConsoleProgress_in_a_terminal_redraws_one_line_and_ends_it_once()
    {
        var writer = new StringWriter();
        var progress = new ConsoleProgress(writer, interactive: true);

        progress.Report(new EpochProgress(1, 4, 1.0, null, null, TimeSpan.Zero));
        progress.Report(new EpochProgress(4, 4, 0.5, null, null, TimeSpan.Zero));
        progress.Complete();
        progress.Complete();

        string text = writer.ToString();
        Assert.StartsWith("\r[" + new string('█', 8) + new string('░', 22) + "] epoch 1/4  loss 1.0000", text, StringComparison.Ordinal);
        Assert.Contains("\r[" + new string('█', 30) + "] epoch 4/4  loss 0.5000", text, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Single(text.Split(Environment.NewLine)[..^1]);
    }
}
