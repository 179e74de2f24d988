using System;
using System.Collections.Generic;
using System.Globalization;
using System.Numerics;
using System.Text;
using Backprop.CompilerServices;
using Backprop.Internal;
using Backprop.Parallelism;

namespace Backprop.Training;

/// <summary>
/// How a classifier's predictions fall against the actual classes: <c>this[actual, predicted]</c> counts the rows of
/// each actual class predicted as each class, and per-class precision, recall, F1 score and support, their macro
/// averages and the accuracy follow, with scikit-learn's definitions.
/// </summary>
/// <remarks>
/// <para>
/// For class c, with TP = this[c, c], FP = the other rows predicted as c, FN = the other rows of class c:
/// precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2·precision·recall / (precision + recall),
/// support = TP + FN. A quotient whose divisor is 0 is 0, as scikit-learn's <c>zero_division=0</c>: a class never
/// predicted has precision 0, a class that never occurs has recall 0, and F1 is 0 when precision and recall are both 0.
/// </para>
/// <para>
/// The macro averages are the unweighted means over the classes that occur among the actual or the predicted classes
/// (scikit-learn's <c>average='macro'</c> without <c>labels</c>): a class that appears in neither is left out rather
/// than counted as 0. Accuracy is the fraction of rows on the diagonal.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// ConfusionMatrix matrix = ConfusionMatrix.Compute(network, testInputs, testTargets);
/// Console.WriteLine(matrix.ToString(["setosa", "versicolor", "virginica"]));
/// Console.WriteLine($"macro F1 {matrix.MacroF1Score:F3}, recall of virginica {matrix.Recall(2):F3}");
/// </code>
/// </example>
public sealed class ConfusionMatrix
{
    /// <summary>Counts, row-major by actual class: [actual · ClassCount + predicted].</summary>
    private readonly int[] _counts;

    internal ConfusionMatrix(int classCount)
    {
        ClassCount = classCount;
        _counts = new int[classCount * classCount];
    }

    /// <summary>The number of classes: a classifier's <see cref="PredictionExtensions.ClassCount{T}"/>.</summary>
    public int ClassCount { get; }

    /// <summary>The number of rows counted: the sum of every count.</summary>
    public int RowCount { get; private set; }

    /// <summary>The fraction of rows whose predicted class is the actual one, in [0, 1].</summary>
    public double Accuracy
    {
        get
        {
            int correct = 0;
            for (int c = 0; c < ClassCount; c++)
            {
                correct += this[c, c];
            }

            return Divide(correct, RowCount);
        }
    }

    /// <summary>The mean of <see cref="Precision"/> over the classes that occur (see the remarks).</summary>
    public double MacroPrecision => Macro(MacroOf.Precision);

    /// <summary>The mean of <see cref="Recall"/> over the classes that occur (see the remarks).</summary>
    public double MacroRecall => Macro(MacroOf.Recall);

    /// <summary>
    /// The mean of <see cref="F1Score"/> over the classes that occur (see the remarks): the mean of the per-class
    /// F1 scores, as scikit-learn's, not the F1 of <see cref="MacroPrecision"/> and <see cref="MacroRecall"/>.
    /// </summary>
    public double MacroF1Score => Macro(MacroOf.F1Score);

    /// <summary>The number of rows of class <paramref name="actual"/> predicted as class <paramref name="predicted"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A class is outside [0, <see cref="ClassCount"/>).</exception>
    public int this[int actual, int predicted]
    {
        get
        {
            CheckClass(actual, nameof(actual));
            CheckClass(predicted, nameof(predicted));
            return _counts[(actual * ClassCount) + predicted];
        }
    }

    /// <summary>
    /// Classifies every row with the network (<see cref="PredictionExtensions.PredictClass{T}(INetwork{T}, ReadOnlySpan{T}, Span{int}, int)"/>'s
    /// rule, on <see cref="INetwork{T}.ForwardBatch"/>) and counts each against the class its target names.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/>, the network's precision.</typeparam>
    /// <param name="network">A classifier: a Softmax output layer, or one Sigmoid output.</param>
    /// <param name="inputs">Rows of <see cref="INetwork{T}.InputCount"/> inputs, concatenated.</param>
    /// <param name="targets">
    /// Rows of <see cref="INetwork{T}.OutputCount"/> targets, as many as the inputs: one-hot rows for a Softmax network
    /// (the class is the position of the largest value), 0 or 1 for one Sigmoid output (class 1 from 0.5 up).
    /// </param>
    /// <param name="maxDegreeOfParallelism">The most threads the outputs are computed on, the calling one included: 1 (the default), or −1 for one per processor. The counts are the same for any number.</param>
    /// <returns>A new matrix of <see cref="PredictionExtensions.ClassCount{T}"/> classes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The network is not a classifier; the spans are not whole, matching, non-empty rows; a value is NaN or infinite;
    /// or a target row names no class (a negative value, no single largest value, a single target outside [0, 1]).
    /// The exception names the row and column.
    /// </exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or less than −1.</exception>
    public static ConfusionMatrix Compute<T>(INetwork<T> network, ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int maxDegreeOfParallelism = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        Classification.Require(
            network,
            "A confusion matrix counts classifications",
            "For a regression, measure RegressionMetrics instead.",
            nameof(network));
        ParallelWork.CheckDegree(maxDegreeOfParallelism, nameof(maxDegreeOfParallelism));
        int outputCount = network.OutputCount;
        int rows = NetworkGuard.BatchRows(inputs.Length, network.InputCount, targets.Length, outputCount);
        Classification.CheckFinite(inputs, network.InputCount, nameof(inputs));
        for (int row = 0; row < rows; row++)
        {
            Classification.CheckTarget(targets.Slice(row * outputCount, outputCount), row, nameof(targets));
        }

        var matrix = new ConfusionMatrix(Classification.ClassCount(outputCount));
        var chunks = new OutputChunks<T>(network, inputs, rows, maxDegreeOfParallelism);
        try
        {
            while (chunks.MoveNext())
            {
                ReadOnlySpan<T> outputs = chunks.Outputs;
                for (int row = 0; row < chunks.RowCount; row++)
                {
                    int actual = Classification.Actual(targets.Slice((chunks.FirstRow + row) * outputCount, outputCount));
                    matrix.Add(actual, Classification.Decide(outputs.Slice(row * outputCount, outputCount)));
                }
            }
        }
        finally
        {
            chunks.Dispose();
        }

        return matrix;
    }

    /// <summary>Counts the rows of class indices: row r is of class <c>actual[r]</c> and was predicted as <c>predicted[r]</c>.</summary>
    /// <param name="actual">The actual class of each row, in [0, <paramref name="classCount"/>).</param>
    /// <param name="predicted">The predicted class of each row, as many as <paramref name="actual"/>
    /// (e.g. from <see cref="PredictionExtensions.PredictClass{T}(INetwork{T}, ReadOnlySpan{T}, Span{int}, int)"/>).</param>
    /// <param name="classCount">The number of classes, at least 1.</param>
    /// <returns>A new matrix.</returns>
    /// <exception cref="ArgumentException">The spans are empty or of different lengths.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is less than 1, or a class is outside [0, <paramref name="classCount"/>) (named by its row).</exception>
    public static ConfusionMatrix FromClasses(ReadOnlySpan<int> actual, ReadOnlySpan<int> predicted, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (actual.IsEmpty)
        {
            throw new ArgumentException("Expected at least one row: a confusion matrix of no rows has no accuracy.", nameof(actual));
        }

        if (predicted.Length != actual.Length)
        {
            throw new ArgumentException($"Expected {actual.Length} predicted classes, one per actual class, but 'predicted' has length {predicted.Length}.", nameof(predicted));
        }

        var matrix = new ConfusionMatrix(classCount);
        for (int row = 0; row < actual.Length; row++)
        {
            CheckClass(actual[row], classCount, row, nameof(actual));
            CheckClass(predicted[row], classCount, row, nameof(predicted));
            matrix.Add(actual[row], predicted[row]);
        }

        return matrix;
    }

    /// <summary>The number of rows whose actual class is <paramref name="classIndex"/> (TP + FN): the row's sum.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public int Support(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        int sum = 0;
        for (int predicted = 0; predicted < ClassCount; predicted++)
        {
            sum += _counts[(classIndex * ClassCount) + predicted];
        }

        return sum;
    }

    /// <summary>The number of rows predicted as class <paramref name="classIndex"/> (TP + FP): the column's sum.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public int PredictedCount(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        int sum = 0;
        for (int actual = 0; actual < ClassCount; actual++)
        {
            sum += _counts[(actual * ClassCount) + classIndex];
        }

        return sum;
    }

    /// <summary>TP / (TP + FP): of the rows predicted as the class, the fraction that are; 0 when none is predicted as it.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public double Precision(int classIndex) => Divide(Diagonal(classIndex), PredictedCount(classIndex));

    /// <summary>TP / (TP + FN): of the rows of the class, the fraction predicted as it; 0 when no row is of the class.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public double Recall(int classIndex) => Divide(Diagonal(classIndex), Support(classIndex));

    /// <summary>
    /// The harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN); 0 when both are 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classIndex"/> is outside [0, <see cref="ClassCount"/>).</exception>
    public double F1Score(int classIndex)
        => Divide(2.0 * Diagonal(classIndex), Support(classIndex) + PredictedCount(classIndex));

    /// <summary>The matrix as a table, classes named by their index, with each class's precision, recall, F1 score and support.</summary>
    public override string ToString() => Format(null);

    /// <summary>The matrix as a table, classes named by <paramref name="classNames"/>, with each class's precision, recall, F1 score and support.</summary>
    /// <param name="classNames">A name for each class, in class order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="classNames"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="classNames"/> does not hold <see cref="ClassCount"/> names.</exception>
    public string ToString(IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        if (classNames.Count != ClassCount)
        {
            throw new ArgumentException($"Expected {ClassCount} class names, one per class, but got {classNames.Count}.", nameof(classNames));
        }

        return Format(classNames);
    }

    /// <summary>Sets every count to 0, so the trainer can count each epoch in the same matrix.</summary>
    internal void Clear()
    {
        Array.Clear(_counts);
        RowCount = 0;
    }

    /// <summary>Counts one row; the classes are in range (checked by the caller).</summary>
    internal void Add(int actual, int predicted)
    {
        _counts[(actual * ClassCount) + predicted]++;
        RowCount++;
    }

    /// <summary>TP: the rows of the class predicted as it.</summary>
    private int Diagonal(int classIndex)
    {
        CheckClass(classIndex, nameof(classIndex));
        return _counts[classIndex * (ClassCount + 1)];
    }

    private static double Divide(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    private static void CheckClass(int value, int classCount, int row, string parameterName)
    {
        if ((uint)value >= (uint)classCount)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"'{parameterName}' holds class {value} at row {row}, outside the {classCount} classes [0, {classCount - 1}].");
        }
    }

    private void CheckClass(int value, string parameterName)
    {
        if ((uint)value >= (uint)ClassCount)
        {
            throw new ArgumentOutOfRangeException(parameterName, value, $"Class {value} is outside the {ClassCount} classes [0, {ClassCount - 1}].");
        }
    }

    /// <summary>The mean of a per-class metric over the classes that occur; a switch rather than a delegate, which would allocate per call.</summary>
    private double Macro(MacroOf metric)
    {
        double sum = 0;
        int classes = 0;
        for (int c = 0; c < ClassCount; c++)
        {
            if (Support(c) > 0 || PredictedCount(c) > 0)
            {
                sum += metric switch
                {
                    MacroOf.Precision => Precision(c),
                    MacroOf.Recall => Recall(c),
                    _ => F1Score(c),
                };
                classes++;
            }
        }

        return Divide(sum, classes);
    }

    private enum MacroOf
    {
        Precision,
        Recall,
        F1Score,
    }

    private string Format(IReadOnlyList<string>? classNames)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        string Name(int c) => classNames?[c] ?? c.ToString(invariant);

        const string corner = "actual \\ predicted";
        int nameWidth = corner.Length;
        int countWidth = Math.Max(5, RowCount.ToString(invariant).Length);
        for (int c = 0; c < ClassCount; c++)
        {
            nameWidth = Math.Max(nameWidth, Name(c).Length);
            countWidth = Math.Max(countWidth, Name(c).Length);
        }

        nameWidth = Math.Max(nameWidth, "macro average".Length);
        var text = new StringBuilder();
        text.Append(invariant, $"Confusion matrix of {RowCount} rows, {ClassCount} classes: rows are the actual classes, columns the predicted ones.").AppendLine();
        text.Append(corner.PadRight(nameWidth));
        for (int c = 0; c < ClassCount; c++)
        {
            text.Append("  ").Append(Name(c).PadLeft(countWidth));
        }

        text.Append("   precision  recall      F1  support").AppendLine();
        for (int actual = 0; actual < ClassCount; actual++)
        {
            text.Append(Name(actual).PadRight(nameWidth));
            for (int predicted = 0; predicted < ClassCount; predicted++)
            {
                text.Append("  ").Append(_counts[(actual * ClassCount) + predicted].ToString(invariant).PadLeft(countWidth));
            }

            text.Append(invariant, $"   {Precision(actual),9:F3}  {Recall(actual),6:F3}  {F1Score(actual),6:F3}  {Support(actual),7}").AppendLine();
        }

        int matrixWidth = nameWidth + (ClassCount * (countWidth + 2));
        text.Append("macro average".PadRight(matrixWidth))
            .Append(invariant, $"   {MacroPrecision,9:F3}  {MacroRecall,6:F3}  {MacroF1Score,6:F3}  {RowCount,7}").AppendLine();
        text.Append("accuracy".PadRight(matrixWidth))
            .Append(invariant, $"   {"",9}  {"",6}  {Accuracy,6:F3}  {RowCount,7}");
        return text.ToString();
    }
}
