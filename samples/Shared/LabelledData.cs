using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Samples.Shared;

/// <summary>
/// A table of numeric features with a class label per row, read from a CSV file whose last column is the label,
/// and the few steps every classification sample needs: a stratified split, standardisation and one-hot targets.
/// </summary>
internal sealed class LabelledData
{
    private LabelledData(double[][] features, int[] labels, string[] classes)
    {
        Features = features;
        Labels = labels;
        Classes = classes;
    }

    public double[][] Features { get; }

    /// <summary>Each row's class, an index into <see cref="Classes"/>.</summary>
    public int[] Labels { get; }

    /// <summary>The class names in order of first appearance (or numeric order for numeric labels).</summary>
    public string[] Classes { get; }

    public int Rows => Labels.Length;

    public int FeatureCount => Features[0].Length;

    /// <summary>Reads a CSV with a header line; every column but the last is a number, the last is the label.</summary>
    public static LabelledData ReadCsv(string path)
    {
        string[] lines = File.ReadAllLines(path);
        var rows = lines.Skip(1).Where(line => line.Length > 0).Select(line => line.Split(',')).ToArray();
        string[] labelTexts = rows.Select(r => r[^1].Trim()).ToArray();
        string[] classes = labelTexts.All(t => int.TryParse(t, CultureInfo.InvariantCulture, out _))
            ? labelTexts.Distinct().OrderBy(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray()
            : labelTexts.Distinct().ToArray();
        var features = rows.Select(r => r[..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return new LabelledData(features, labelTexts.Select(t => Array.IndexOf(classes, t)).ToArray(), classes);
    }

    /// <summary>
    /// Splits the rows so that each class is divided in the same proportion (a stratified split): within each class,
    /// rows are shuffled with <paramref name="seed"/> and the first round(fraction × count) go to the test part.
    /// </summary>
    public (LabelledData Train, LabelledData Test) StratifiedSplit(double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        for (int c = 0; c < Classes.Length; c++)
        {
            int[] rows = Enumerable.Range(0, Rows).Where(r => Labels[r] == c).ToArray();
            random.Shuffle(rows);
            int testCount = (int)Math.Round(rows.Length * testFraction);
            test.AddRange(rows[..testCount]);
            train.AddRange(rows[testCount..]);
        }

        train.Sort();
        test.Sort();
        return (Subset(train), Subset(test));
    }

    /// <summary>The rows whose label is <paramref name="positiveClass"/> get label 1, all others 0.</summary>
    public LabelledData OneVersusRest(string positiveClass)
    {
        int positive = Array.IndexOf(Classes, positiveClass);
        return new LabelledData(Features, Labels.Select(l => l == positive ? 1 : 0).ToArray(), [$"not {positiveClass}", positiveClass]);
    }

    /// <summary>The per-feature mean and standard deviation of these rows.</summary>
    public Standardizer FitStandardizer()
    {
        double[] mean = Enumerable.Range(0, FeatureCount).Select(f => Features.Average(r => r[f])).ToArray();
        double[] std = Enumerable.Range(0, FeatureCount)
            .Select(f => Math.Sqrt(Features.Average(r => (r[f] - mean[f]) * (r[f] - mean[f]))))
            .Select(s => s > 1e-12 ? s : 1)
            .ToArray();
        return new Standardizer(mean, std);
    }

    /// <summary>The features as rows concatenated, transformed by <paramref name="transform"/>.</summary>
    public float[] Inputs(Func<int, double, double> transform)
        => Features.SelectMany(r => r.Select((v, f) => (float)transform(f, v))).ToArray();

    /// <summary>One-hot targets, rows concatenated: 1 at the row's class, 0 elsewhere.</summary>
    public float[] OneHotTargets()
    {
        var targets = new float[Rows * Classes.Length];
        for (int r = 0; r < Rows; r++)
        {
            targets[r * Classes.Length + Labels[r]] = 1;
        }

        return targets;
    }

    /// <summary>The label itself as one target per row (0 or 1 for a binary problem).</summary>
    public float[] LabelTargets() => Labels.Select(l => (float)l).ToArray();

    private LabelledData Subset(List<int> rows)
        => new([.. rows.Select(r => Features[r])], [.. rows.Select(r => Labels[r])], Classes);
}

/// <summary>z = (x − mean) / std per feature, with the statistics of the training rows only.</summary>
internal sealed record Standardizer(double[] Mean, double[] StandardDeviation)
{
    public double Apply(int feature, double value) => (value - Mean[feature]) / StandardDeviation[feature];
}
