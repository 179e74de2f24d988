using System;
using System.Numerics;
using Backprop.Internal;

namespace Backprop.Training;

/// <summary>
/// The <see cref="TrainingOptions.ValidationMetrics"/> of one <c>Fit</c> call: checked and set up once, before
/// training changes anything (the validation rows' classes decoded, the targets' means taken), then counted for each
/// epoch in the same buffers, so that the epochs allocate nothing.
/// </summary>
internal sealed class EpochMetrics<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ValidationMetrics _metrics;
    private readonly ConfusionMatrix? _confusion;

    /// <summary>The actual class of each validation row, in validation order.</summary>
    private readonly int[]? _actualClasses;

    /// <summary>Three doubles per output: the validation targets' means, then the epoch's sums (see <see cref="RegressionSums"/>).</summary>
    private readonly double[]? _regressionScratch;
    private RegressionMetrics _regression;
    private int _row;

    private EpochMetrics(ValidationMetrics metrics, ConfusionMatrix? confusion, int[]? actualClasses, double[]? regressionScratch)
    {
        _metrics = metrics;
        _confusion = confusion;
        _actualClasses = actualClasses;
        _regressionScratch = regressionScratch;
    }

    /// <summary>
    /// Null when no metric is asked for; otherwise checks that the metrics can be computed on these validation rows
    /// (throwing <see cref="ArgumentException"/> for <c>options</c> or the validation targets) and allocates their buffers.
    /// </summary>
    public static EpochMetrics<T>? Create(INetwork<T> network, ValidationMetrics metrics, ReadOnlySpan<T> targets, ReadOnlySpan<int> rowOrder, string targetsName)
    {
        if (metrics == ValidationMetrics.None)
        {
            return null;
        }

        if (rowOrder.IsEmpty)
        {
            throw new ArgumentException(
                "ValidationMetrics are computed on the validation rows, but there are none: set ValidationSplit or pass validation data.",
                "options");
        }

        int outputCount = network.OutputCount;
        ConfusionMatrix? confusion = null;
        int[]? actualClasses = null;
        if ((metrics & ValidationMetrics.Classification) != 0)
        {
            Classification.Require(
                network,
                "The classification ValidationMetrics (macro precision, recall and F1 score) count classifications",
                "For a regression, ask for ValidationMetrics.Regression instead.",
                "options");
            actualClasses = new int[rowOrder.Length];
            for (int i = 0; i < rowOrder.Length; i++)
            {
                ReadOnlySpan<T> target = targets.Slice(rowOrder[i] * outputCount, outputCount);
                Classification.CheckTarget(target, rowOrder[i], targetsName);
                actualClasses[i] = Classification.Actual(target);
            }

            confusion = new ConfusionMatrix(Classification.ClassCount(outputCount));
        }

        double[]? regressionScratch = null;
        if ((metrics & ValidationMetrics.Regression) != 0)
        {
            regressionScratch = new double[RegressionSums.ScratchLength(outputCount)];
            RegressionSums.SetTargetMeans(regressionScratch, targets, outputCount, rowOrder);
        }

        return new EpochMetrics<T>(metrics, confusion, actualClasses, regressionScratch);
    }

    /// <summary>Measures the validation rows' outputs, in validation order: one call per row, then <see cref="Report"/>.</summary>
    public void Add(ReadOnlySpan<T> output, ReadOnlySpan<T> target, ref RegressionSums sums)
    {
        if (_confusion is not null)
        {
            _confusion.Add(_actualClasses![_row], Classification.Decide(output));
        }

        if (_regressionScratch is not null)
        {
            sums.Add(output, target);
        }

        _row++;
    }

    /// <summary>Starts an epoch's count; the returned sums are passed to every <see cref="Add"/> of the epoch.</summary>
    public RegressionSums Begin(int outputCount)
    {
        _confusion?.Clear();
        _row = 0;
        return _regressionScratch is null ? default : new RegressionSums(_regressionScratch, outputCount);
    }

    /// <summary>Ends an epoch's count.</summary>
    public void End(in RegressionSums sums)
    {
        if (_regressionScratch is not null)
        {
            _regression = sums.Result();
        }
    }

    /// <summary><paramref name="report"/> with the metrics asked for.</summary>
    public EpochProgress Report(EpochProgress report) => report with
    {
        ValidationMacroPrecision = Has(ValidationMetrics.MacroPrecision) ? _confusion!.MacroPrecision : null,
        ValidationMacroRecall = Has(ValidationMetrics.MacroRecall) ? _confusion!.MacroRecall : null,
        ValidationMacroF1Score = Has(ValidationMetrics.MacroF1Score) ? _confusion!.MacroF1Score : null,
        ValidationMeanAbsoluteError = Has(ValidationMetrics.MeanAbsoluteError) ? _regression.MeanAbsoluteError : null,
        ValidationRootMeanSquaredError = Has(ValidationMetrics.RootMeanSquaredError) ? _regression.RootMeanSquaredError : null,
        ValidationRSquared = Has(ValidationMetrics.RSquared) ? _regression.RSquared : null,
    };

    private bool Has(ValidationMetrics metric) => (_metrics & metric) != 0;
}
