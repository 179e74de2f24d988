using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Backprop.CompilerServices;

namespace Backprop.Tests.Numerics;

/// <summary>
/// The runtime kernels that looped layers call (<see cref="DenseKernels"/>, the span forms of
/// <see cref="NetworkMath"/>), each against a naive double-precision reference written here, for float
/// and double and for shapes that reach every code path: rows of 1–3 columns (one element wide), of a
/// 128-, 256- or 512-bit vector with and without a remainder, long rows (≥ 256, where the update-only
/// kernels skip rows whose δ is exactly 0), and row counts on and off the forward kernel's blocks of four.
/// </summary>
/// <remarks>
/// The kernels use FMA and their own summation order, so results are compared by relative error against
/// the sum of the magnitudes of the terms (the scale of the rounding error), never bit for bit; only what
/// must not change at all (rows whose δ is 0) is compared bit for bit.
/// </remarks>
public class DenseKernelsTests
{
    public enum Precision
    {
        Single,
        Double,
    }

    /// <summary>Float keeps about 7 digits; a dot product of ≤ 300 terms in vector lanes loses well under 2.</summary>
    private const double SingleTolerance = 1e-5;

    private const double DoubleTolerance = 1e-12;

    /// <summary>
    /// 1–3: one element wide. 4–7: 128-bit vectors for float (2–3 for double). 8–15: 256-bit (4–7 for double).
    /// 16 and more: 512-bit (8 and more for double), with and without a remainder. 256 and 300: long rows.
    /// </summary>
    private static readonly int[] ColumnCounts = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 31, 33, 64, 100, 256, 300];

    /// <summary>The forward kernel takes four rows at a time, then the rest one by one.</summary>
    private static readonly int[] RowCounts = [1, 3, 4, 5, 8, 13];

    /// <summary>Every (precision, rows, columns) the kernel theories run.</summary>
    public static TheoryData<Precision, int, int> Shapes => new(
        from precision in new[] { Precision.Single, Precision.Double }
        from rows in RowCounts
        from columns in ColumnCounts
        select (precision, rows, columns));

    public static TheoryData<Precision> Precisions => new(Precision.Single, Precision.Double);

    // ------------------------------------------------------------------------------------------------
    // DenseKernels
    // ------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_computes_W_x_plus_b(Precision precision, int rows, int columns)
        => Run(precision, () => AssertForward<float>(rows, columns), () => AssertForward<double>(rows, columns));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Step_moves_W_and_b_by_minus_alpha_delta_x_and_leaves_zero_delta_rows_untouched(Precision precision, int rows, int columns)
        => Run(precision, () => AssertStep<float>(rows, columns, propagate: false), () => AssertStep<double>(rows, columns, propagate: false));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PropagateAndStep_overwrites_inputDelta_with_WT_delta_of_the_weights_before_the_step(Precision precision, int rows, int columns)
        => Run(precision, () => AssertStep<float>(rows, columns, propagate: true), () => AssertStep<double>(rows, columns, propagate: true));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Accumulate_adds_delta_x_into_the_gradients_and_leaves_zero_delta_rows_untouched(Precision precision, int rows, int columns)
        => Run(precision, () => AssertAccumulate<float>(rows, columns, propagate: false), () => AssertAccumulate<double>(rows, columns, propagate: false));

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PropagateAndAccumulate_overwrites_inputDelta_with_WT_delta_and_adds_into_the_gradients(Precision precision, int rows, int columns)
        => Run(precision, () => AssertAccumulate<float>(rows, columns, propagate: true), () => AssertAccumulate<double>(rows, columns, propagate: true));

    [Theory]
    [MemberData(nameof(Precisions))]
    public void Kernels_reject_spans_that_do_not_describe_one_layer(Precision precision)
        => Run(precision, AssertKernelsRejectWrongShapes<float>, AssertKernelsRejectWrongShapes<double>);

    private static void AssertForward<T>(int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Layer<T> layer = Layer<T>.Draw(rows, columns);
        T[] z = Garbage<T>(rows);

        DenseKernels.Forward<T>(layer.Weights, layer.Biases, layer.Input, z);

        AssertClose(Reference.Forward(layer), z, $"Forward<{typeof(T).Name}> {rows}×{columns}: z");
    }

    /// <summary>Step, or PropagateAndStep when <paramref name="propagate"/>.</summary>
    private static void AssertStep<T>(int rows, int columns, bool propagate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = $"{(propagate ? "PropagateAndStep" : "Step")}<{typeof(T).Name}> {rows}×{columns}";
        Layer<T> layer = Layer<T>.Draw(rows, columns);
        T learningRate = T.CreateChecked(0.1);
        T[] weights = [.. layer.Weights];
        T[] biases = [.. layer.Biases];
        T[] inputDelta = Garbage<T>(columns); // PropagateAndStep's only

        if (propagate)
        {
            DenseKernels.PropagateAndStep<T>(weights, biases, layer.Delta, layer.Input, inputDelta, learningRate);
        }
        else
        {
            DenseKernels.Step<T>(weights, biases, layer.Delta, layer.Input, learningRate);
        }

        double alpha = double.CreateChecked(learningRate);
        AssertClose(Reference.Step(layer, alpha), weights, $"{name}: W");
        AssertClose(Reference.Add(layer.Biases, layer.Delta, -alpha), biases, $"{name}: b");
        AssertZeroDeltaRowsUnchangedAndOthersChanged(layer, layer.Weights, weights, name + ": W");
        AssertZeroDeltaRowsUnchangedAndOthersChanged(layer, layer.Biases, biases, name + ": b", width: 1);
        if (propagate)
        {
            (double[] expected, double[] scale) = Reference.Propagate(layer, layer.Weights);
            AssertClose((expected, scale), inputDelta, $"{name}: inputDelta");

            // The check above tells the weights before the step from those after it.
            T[] stepped = [.. Reference.Step(layer, alpha).Values.Select(T.CreateChecked)];
            double[] fromSteppedWeights = Reference.Propagate(layer, stepped).Values;
            double tolerance = Tolerance<T>();
            Assert.True(
                Enumerable.Range(0, columns).Any(i => NumericAssert.RelativeError(fromSteppedWeights[i], expected[i], scale[i]) > tolerance),
                $"{name}: Wᵀδ before and after the step agree within the tolerance, so the test cannot tell them apart.");
        }
    }

    /// <summary>Accumulate, or PropagateAndAccumulate when <paramref name="propagate"/>.</summary>
    private static void AssertAccumulate<T>(int rows, int columns, bool propagate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = $"{(propagate ? "PropagateAndAccumulate" : "Accumulate")}<{typeof(T).Name}> {rows}×{columns}";
        Layer<T> layer = Layer<T>.Draw(rows, columns);
        T[] weights = [.. layer.Weights];
        T[] weightGradient = [.. layer.WeightGradient];
        T[] biasGradient = [.. layer.BiasGradient];
        T[] inputDelta = Garbage<T>(columns);

        if (propagate)
        {
            DenseKernels.PropagateAndAccumulate<T>(weights, weightGradient, biasGradient, layer.Delta, layer.Input, inputDelta);
        }
        else
        {
            DenseKernels.Accumulate<T>(weightGradient, biasGradient, layer.Delta, layer.Input);
        }

        AssertClose(Reference.Accumulate(layer), weightGradient, $"{name}: ∂L/∂W");
        AssertClose(Reference.Add(layer.BiasGradient, layer.Delta, 1), biasGradient, $"{name}: ∂L/∂b");
        AssertZeroDeltaRowsUnchangedAndOthersChanged(layer, layer.WeightGradient, weightGradient, name + ": ∂L/∂W");
        AssertZeroDeltaRowsUnchangedAndOthersChanged(layer, layer.BiasGradient, biasGradient, name + ": ∂L/∂b", width: 1);
        AssertBitIdentical<T>(layer.Weights, weights, $"{name}: W (read only)");
        if (propagate)
        {
            AssertClose(Reference.Propagate(layer, layer.Weights), inputDelta, $"{name}: inputDelta");
        }
    }

    private static void AssertKernelsRejectWrongShapes<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int rows = 3, columns = 5;
        T[] x = new T[columns], delta = new T[rows], z = new T[rows];
        T alpha = T.CreateChecked(0.1);
        foreach (int wrongBy in new[] { -1, 1 })
        {
            int weights = (rows * columns) + wrongBy, biases = rows + wrongBy, inputDelta = columns + wrongBy;

            AssertRejects("Forward: W", () => DenseKernels.Forward<T>(new T[weights], new T[rows], x, z));
            AssertRejects("Forward: b", () => DenseKernels.Forward<T>(new T[rows * columns], new T[biases], x, z));

            AssertRejects("Step: W", () => DenseKernels.Step<T>(new T[weights], new T[rows], delta, x, alpha));
            AssertRejects("Step: b", () => DenseKernels.Step<T>(new T[rows * columns], new T[biases], delta, x, alpha));

            AssertRejects("PropagateAndStep: W", () => DenseKernels.PropagateAndStep<T>(new T[weights], new T[rows], delta, x, new T[columns], alpha));
            AssertRejects("PropagateAndStep: b", () => DenseKernels.PropagateAndStep<T>(new T[rows * columns], new T[biases], delta, x, new T[columns], alpha));
            AssertRejects("PropagateAndStep: inputDelta", () => DenseKernels.PropagateAndStep<T>(new T[rows * columns], new T[rows], delta, x, new T[inputDelta], alpha));

            AssertRejects("Accumulate: ∂L/∂W", () => DenseKernels.Accumulate<T>(new T[weights], new T[rows], delta, x));
            AssertRejects("Accumulate: ∂L/∂b", () => DenseKernels.Accumulate<T>(new T[rows * columns], new T[biases], delta, x));

            AssertRejects("PropagateAndAccumulate: W", () => DenseKernels.PropagateAndAccumulate<T>(new T[weights], new T[rows * columns], new T[rows], delta, x, new T[columns]));
            AssertRejects("PropagateAndAccumulate: ∂L/∂W", () => DenseKernels.PropagateAndAccumulate<T>(new T[rows * columns], new T[weights], new T[rows], delta, x, new T[columns]));
            AssertRejects("PropagateAndAccumulate: ∂L/∂b", () => DenseKernels.PropagateAndAccumulate<T>(new T[rows * columns], new T[rows * columns], new T[biases], delta, x, new T[columns]));
            AssertRejects("PropagateAndAccumulate: inputDelta", () => DenseKernels.PropagateAndAccumulate<T>(new T[rows * columns], new T[rows * columns], new T[rows], delta, x, new T[inputDelta]));
        }

        // One element is neither empty nor one per column.
        AssertRejects("PropagateAndStep: inputDelta of 1", () => DenseKernels.PropagateAndStep<T>(new T[rows * columns], new T[rows], delta, x, new T[1], alpha));
        AssertRejects("PropagateAndAccumulate: inputDelta of 1", () => DenseKernels.PropagateAndAccumulate<T>(new T[rows * columns], new T[rows * columns], new T[rows], delta, x, new T[1]));

        // Rows are counted by δ (or z), columns by x: W of rows × columns with a wrong δ or x is a wrong W.
        AssertRejects("Forward: x one longer", () => DenseKernels.Forward<T>(new T[rows * columns], new T[rows], new T[columns + 1], z));
        AssertRejects("Step: δ one longer", () => DenseKernels.Step<T>(new T[rows * columns], new T[rows], new T[rows + 1], x, alpha));
        AssertRejects("Accumulate: x one shorter", () => DenseKernels.Accumulate<T>(new T[rows * columns], new T[rows], delta, new T[columns - 1]));

        // The spans of a well-formed layer pass (the checks above fail for the shape, not for the calls).
        DenseKernels.Forward<T>(new T[rows * columns], new T[rows], x, z);
        DenseKernels.PropagateAndStep<T>(new T[rows * columns], new T[rows], delta, x, new T[columns], alpha);
        DenseKernels.PropagateAndStep<T>(new T[rows * columns], new T[rows], delta, x, [], alpha);
        DenseKernels.PropagateAndAccumulate<T>(new T[rows * columns], new T[rows * columns], new T[rows], delta, x, new T[columns]);
        DenseKernels.PropagateAndAccumulate<T>([], new T[rows * columns], new T[rows], delta, x, []);
    }

    private static void AssertRejects(string call, Action action)
    {
        ArgumentException exception = Assert.Throws<ArgumentException>(action);
        Assert.False(string.IsNullOrWhiteSpace(exception.Message), $"{call}: the exception has no message.");
    }

    /// <summary>
    /// Rows whose δ is exactly 0 are bit for bit what they were (whether the kernel skipped them or added
    /// ±0 to them); every other row changed in at least one element.
    /// </summary>
    /// <param name="width">Elements per row: the layer's columns for W, 1 for b.</param>
    private static void AssertZeroDeltaRowsUnchangedAndOthersChanged<T>(Layer<T> layer, T[] before, T[] after, string what, int? width = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rowLength = width ?? layer.Columns;
        for (int j = 0; j < layer.Rows; j++)
        {
            ReadOnlySpan<T> rowBefore = before.AsSpan(j * rowLength, rowLength);
            ReadOnlySpan<T> rowAfter = after.AsSpan(j * rowLength, rowLength);
            if (T.IsZero(layer.Delta[j]))
            {
                AssertBitIdentical(rowBefore, rowAfter, $"{what}, row {j} (δ = 0)");
            }
            else
            {
                Assert.False(
                    MemoryMarshal.AsBytes(rowBefore).SequenceEqual(MemoryMarshal.AsBytes(rowAfter)),
                    $"{what}, row {j}: δ = {layer.Delta[j]} but the row did not change.");
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // NetworkMath
    // ------------------------------------------------------------------------------------------------

    /// <summary>Lengths around every vector width (Vector&lt;T&gt; and its tail), for the element-wise spans.</summary>
    public static TheoryData<Precision, int> ElementwiseLengths => new(
        from precision in new[] { Precision.Single, Precision.Double }
        from length in Enumerable.Range(1, 40)
        select (precision, length));

    /// <summary>
    /// Softmax has three paths: one vectorised exponential when the logits fill a vector (float 4, 8, 16; double
    /// 2, 4, 8, on .NET 9+ with the hardware), plain loops below 4 outputs, TensorPrimitives otherwise; lengths
    /// 1 to 20 cover all three.
    /// </summary>
    public static TheoryData<Precision, int> SoftmaxLengths => new(
        from precision in new[] { Precision.Single, Precision.Double }
        from length in Enumerable.Range(1, 20)
        select (precision, length));

    /// <summary>
    /// Softmax of a block's rows, with and without each row's logsumexp: row by row over vectors with masked loads and
    /// stores where AVX is and a row is longer than two 256-bit vectors (float 16, double 8), the general pass
    /// otherwise; widths 1 to 20 cover both, and whole, partial and two-vector rows. One, two and five rows; the five
    /// hold a logit of 1e30, one of −∞ and a NaN.
    /// </summary>
    public static TheoryData<Precision, int, int> SoftmaxRowShapes => new(
        from precision in new[] { Precision.Single, Precision.Double }
        from width in Enumerable.Range(1, 20)
        from rows in new[] { 1, 2, 5 }
        select (precision, width, rows));

    [Theory]
    [MemberData(nameof(SoftmaxRowShapes))]
    public void Softmax_of_rows_is_each_row_s_softmax_in_place_or_not_touching_nothing_past_the_block(Precision precision, int width, int rows)
        => Run(precision, () => AssertSoftmaxRows<float>(width, rows), () => AssertSoftmaxRows<double>(width, rows));

    [Theory]
    [MemberData(nameof(ElementwiseLengths))]
    public void ReLU_keeps_positives_and_NaN_and_zeroes_the_rest(Precision precision, int length)
        => Run(precision, () => AssertReLU<float>(length), () => AssertReLU<double>(length));

    [Theory]
    [MemberData(nameof(ElementwiseLengths))]
    public void MultiplyByDerivative_multiplies_delta_by_the_scalar_formula_of_each_activation(Precision precision, int length)
        => Run(precision, () => AssertDerivatives<float>(length), () => AssertDerivatives<double>(length));

    /// <summary>
    /// The register form's softmax (<see cref="RegisterSoftmax"/>) over the first 1 to all lanes of a 128-bit and,
    /// where accelerated, a 256- and 512-bit vector: the reference's outputs and logsumexp, the other lanes 0; a
    /// logit of 1e30, and a NaN logit (every output and the logsumexp NaN, whatever lane the hardware's maximum lets
    /// win). With and without the logsumexp, the same bits.
    /// </summary>
    [Theory]
    [InlineData(Precision.Single)]
    [InlineData(Precision.Double)]
    public void Register_softmax_of_the_first_lanes_matches_the_reference_and_zeroes_the_rest(Precision precision)
        => Run(precision, AssertRegisterSoftmax<float>, AssertRegisterSoftmax<double>);

    private static void AssertRegisterSoftmax<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(17);
        T[] lanes = new T[Vector512<T>.Count];
        foreach (int width in new[] { Vector128<T>.Count, Vector256<T>.Count, Vector512<T>.Count })
        {
            if ((width == Vector256<T>.Count && !Vector256.IsHardwareAccelerated) || (width == Vector512<T>.Count && !Vector512.IsHardwareAccelerated))
            {
                continue;
            }

            for (int count = 1; count <= width; count++)
            {
                foreach (string kind in new[] { "uniform", "1e30", "NaN" })
                {
                    for (int k = 0; k < lanes.Length; k++)
                    {
                        lanes[k] = T.CreateChecked(Samples.Uniform(random, -8, 8));
                    }

                    int special = random.Next(count);
                    lanes[special] = kind switch { "1e30" => T.CreateChecked(1e30), "NaN" => T.NaN, _ => lanes[special] };
                    T[] y = new T[width];
                    T logSumExp = width == Vector128<T>.Count ? RegisterSoftmaxOf(Vector128.Create<T>(lanes), count, y)
                        : width == Vector256<T>.Count ? RegisterSoftmaxOf(Vector256.Create<T>(lanes), count, y)
                        : RegisterSoftmaxOf(Vector512.Create<T>(lanes), count, y);

                    string name = $"RegisterSoftmax<{typeof(T).Name}>, {count} of {width} lanes, {kind}";
                    if (kind == "NaN")
                    {
                        // The lanes past the logits are 0 divided by a NaN sum: NaN too, and never stored by the callers.
                        Assert.All(y.Take(count), v => Assert.True(T.IsNaN(v), $"{name}: an output is {v}, expected NaN."));
                        Assert.True(T.IsNaN(logSumExp), $"{name}: logsumexp is {logSumExp}, expected NaN.");
                        continue;
                    }

                    Assert.All(y.Skip(count), v => Assert.True(v == T.Zero, $"{name}: a lane past the logits is {v}, expected 0."));

                    (double[] expected, double expectedLogSumExp) = Reference.Softmax(lanes.Take(count).ToArray());
                    NumericAssert.AllClose(expected, Widen(y.Take(count).ToArray()), Tolerance<T>(), floor: 1, $"{name}: y");
                    NumericAssert.Close(expectedLogSumExp, double.CreateChecked(logSumExp), Tolerance<T>(), floor: 1, $"{name}: logsumexp");
                }
            }
        }
    }

    private static T RegisterSoftmaxOf<T>(Vector128<T> z, int count, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector128<T> without = RegisterSoftmax.Compute(z, count);
        Vector128<T> with = RegisterSoftmax.Compute(z, count, out T logSumExp);
        with.CopyTo(y);
        AssertSameBits(without, with);
        return logSumExp;
    }

    private static T RegisterSoftmaxOf<T>(Vector256<T> z, int count, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector256<T> without = RegisterSoftmax.Compute(z, count);
        Vector256<T> with = RegisterSoftmax.Compute(z, count, out T logSumExp);
        with.CopyTo(y);
        AssertSameBits(without.GetLower(), with.GetLower());
        AssertSameBits(without.GetUpper(), with.GetUpper());
        return logSumExp;
    }

    private static T RegisterSoftmaxOf<T>(Vector512<T> z, int count, T[] y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector512<T> without = RegisterSoftmax.Compute(z, count);
        Vector512<T> with = RegisterSoftmax.Compute(z, count, out T logSumExp);
        with.CopyTo(y);
        Assert.True(Vector512.EqualsAll(without.AsByte(), with.AsByte()), "The softmax with its logsumexp differs from the one without.");
        return logSumExp;
    }

    private static void AssertSameBits<T>(Vector128<T> expected, Vector128<T> actual)
        where T : unmanaged
        => Assert.True(Vector128.EqualsAll(expected.AsByte(), actual.AsByte()), "The softmax with its logsumexp differs from the one without.");

    [Theory]
    [MemberData(nameof(SoftmaxLengths))]
    public void Softmax_sums_to_one_and_returns_logsumexp(Precision precision, int length)
        => Run(precision, () => AssertSoftmax<float>(length), () => AssertSoftmax<double>(length));

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 5)]
    [InlineData(20, 24)]
    [InlineData(5, 4)]
    public void Softmax_rejects_no_logits_and_an_output_of_another_length(int logits, int outputs)
    {
        float[] z = new float[logits];
        float[] output = new float[outputs];

        Assert.Throws<ArgumentException>(() => Softmax.Compute<float>(z, output));
    }

    [Theory]
    [MemberData(nameof(SoftmaxLengths))]
    public void Softmax_of_a_logit_of_1e30_does_not_overflow(Precision precision, int length)
        => Run(precision, () => AssertSoftmaxOfHugeLogit<float>(length), () => AssertSoftmaxOfHugeLogit<double>(length));

    [Theory]
    [MemberData(nameof(SoftmaxLengths))]
    public void Softmax_of_a_NaN_logit_is_NaN_everywhere(Precision precision, int length)
        => Run(precision, () => AssertSoftmaxOfNaN<float>(length), () => AssertSoftmaxOfNaN<double>(length));

    [Theory]
    [MemberData(nameof(SoftmaxLengths))]
    public void Softmax_gives_a_logit_of_minus_infinity_probability_zero(Precision precision, int length)
        => Run(precision, () => AssertSoftmaxOfMinusInfinity<float>(length), () => AssertSoftmaxOfMinusInfinity<double>(length));

    private static void AssertReLU<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Each kind of value at every position over the lengths, so each reaches both the vector loop and the tail.
        var random = new Random(length);
        T[] z = [.. Enumerable.Range(0, length).Select(i => ((i + length) % 6) switch
        {
            0 => T.NaN,
            1 => T.NegativeZero,
            2 => T.CreateChecked(-Samples.Uniform(random, 0.01, 10)),
            3 => T.CreateChecked(Samples.Uniform(random, 0.01, 10)),
            4 => (i % 2 == 0) ? T.Zero : T.NegativeInfinity,
            _ => (i % 2 == 0) ? T.PositiveInfinity : T.Epsilon,
        })];
        T[] output = Garbage<T>(length);

        Activations.Apply<T, ReLUOperator<T>>(z, output);

        for (int i = 0; i < length; i++)
        {
            string what = $"ReLU<{typeof(T).Name}>, length {length}, [{i}] = {z[i]}";
            if (T.IsNaN(z[i]))
            {
                Assert.True(T.IsNaN(output[i]), $"{what}: {output[i]}, expected NaN.");
            }
            else if (z[i] > T.Zero)
            {
                Assert.True(output[i] == z[i], $"{what}: {output[i]}, expected the input.");
            }
            else
            {
                Assert.True(output[i] == T.Zero && T.IsPositive(output[i]), $"{what}: {output[i]}, expected +0.");
            }
        }
    }

    private static void AssertDerivatives<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] delta = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -2, 2)))];
        T[] sigmoid = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(random.NextDouble()))];
        T[] tanh = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -1, 1)))];

        // ReLU activations are ≥ 0 with many exact zeros; LeakyReLU's are negative too. −0 and NaN are not > 0.
        T[] rectified = [.. Enumerable.Range(0, length).Select(i => ((i + length) % 5) switch
        {
            0 => T.Zero,
            1 => T.NegativeZero,
            2 => T.CreateChecked(-random.NextDouble()),
            3 => T.NaN,
            _ => T.CreateChecked(Samples.Uniform(random, 0.01, 1)),
        })];
        T slope = T.CreateChecked(LeakyReLUOperator<double>.Slope);

        AssertDerivative("Sigmoid", sigmoid, delta, a => a * (T.One - a), Activations.MultiplyByDerivative<T, SigmoidOperator<T>>);
        AssertDerivative("Tanh", tanh, delta, a => T.One - (a * a), Activations.MultiplyByDerivative<T, TanhOperator<T>>);
        AssertDerivative("ReLU", rectified, delta, a => a > T.Zero ? T.One : T.Zero, Activations.MultiplyByDerivative<T, ReLUOperator<T>>);
        AssertDerivative("LeakyReLU", rectified, delta, a => a > T.Zero ? T.One : slope, Activations.MultiplyByDerivative<T, LeakyReLUOperator<T>>);
    }

    private delegate void MultiplyByDerivative<T>(ReadOnlySpan<T> a, Span<T> delta);

    /// <summary>
    /// The span form against δᵢ·g′(aᵢ) in the same precision: the same two roundings in the same order
    /// (the JIT never fuses a multiply and an add on its own), so the results agree bit for bit.
    /// </summary>
    private static void AssertDerivative<T>(string activation, T[] a, T[] delta, Func<T, T> derivative, MultiplyByDerivative<T> multiply)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] expected = [.. delta.Select((d, i) => d * derivative(a[i]))];
        T[] actual = [.. delta];

        multiply(a, actual);

        AssertBitIdentical<T>(expected, actual, $"MultiplyBy{activation}Derivative<{typeof(T).Name}>, length {a.Length}");
    }

    private static void AssertSoftmax<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] z = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -8, 8)))];
        AssertSoftmaxAgreesWithReference(z, $"Softmax<{typeof(T).Name}>, length {length}");
    }

    private static void AssertSoftmaxOfHugeLogit<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] z = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -8, 8)))];
        int huge = length / 2;
        z[huge] = T.CreateChecked(1e30);
        string name = $"Softmax<{typeof(T).Name}>, length {length}, z[{huge}] = 1e30";

        AssertSoftmaxAgreesWithReference(z, name);

        // Every logit 1e30: every exponent is e⁰, the output uniform.
        T[] output = Garbage<T>(length);
        T logSumExp = Softmax.Compute<T>([.. Enumerable.Repeat(T.CreateChecked(1e30), length)], output);
        NumericAssert.Close(1e30 + Math.Log(length), double.CreateChecked(logSumExp), Tolerance<T>(), 1, $"{name}, all logits 1e30: logsumexp");
        Assert.All(output, y => NumericAssert.Close(1.0 / length, double.CreateChecked(y), Tolerance<T>(), 1, $"{name}, all logits 1e30: y"));
    }

    private static void AssertSoftmaxOfNaN<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(length);
        T[] z = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -8, 8)))];
        z[length / 2] = T.NaN;
        T[] output = Garbage<T>(length);

        T logSumExp = Softmax.Compute<T>(z, output);

        string name = $"Softmax<{typeof(T).Name}>, length {length}, z[{length / 2}] = NaN";
        Assert.True(T.IsNaN(logSumExp), $"{name}: logsumexp {logSumExp}, expected NaN.");
        Assert.All(output, y => Assert.True(T.IsNaN(y), $"{name}: an output is {y}, expected NaN."));
    }

    /// <summary>e^(−∞) = 0: the unit gets probability exactly 0 and the others the softmax of the rest.</summary>
    private static void AssertSoftmaxOfMinusInfinity<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (length == 1)
        {
            return; // every logit −∞ is 0/0: not a case a finite network reaches
        }

        var random = new Random(length);
        T[] z = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -8, 8)))];
        int excluded = length / 2;
        z[excluded] = T.NegativeInfinity;
        T[] output = Garbage<T>(length);

        T logSumExp = Softmax.Compute<T>(z, output);

        string name = $"Softmax<{typeof(T).Name}>, length {length}, z[{excluded}] = −∞";
        T[] rest = [.. z.Where((_, k) => k != excluded)];
        (double[] expected, double expectedLogSumExp) = Reference.Softmax(rest);
        Assert.True(output[excluded] == T.Zero, $"{name}: y[{excluded}] = {output[excluded]}, expected 0.");
        NumericAssert.AllClose(expected, Widen([.. output.Where((_, k) => k != excluded)]), Tolerance<T>(), floor: 1, $"{name}: y");
        NumericAssert.Close(expectedLogSumExp, double.CreateChecked(logSumExp), Tolerance<T>(), floor: 1, $"{name}: the returned logsumexp");
    }

    private static void AssertSoftmaxRows<T>(int width, int rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random((width * 31) + rows);
        int length = rows * width;
        T[] z = [.. Enumerable.Range(0, length).Select(_ => T.CreateChecked(Samples.Uniform(random, -8, 8)))];
        if (rows == 5)
        {
            z[width + (width / 2)] = T.CreateChecked(1e30);
            if (width > 1)
            {
                z[(2 * width) + (width / 2)] = T.NegativeInfinity;
            }

            z[(3 * width) + (width / 2)] = T.NaN;
        }

        // Both buffers run past the block; what lies past it must be left as it is.
        T sentinel = T.CreateChecked(12345);
        T[] separate = [.. Garbage<T>(length), .. Enumerable.Repeat(sentinel, 40)];
        T[] inPlace = [.. z, .. Enumerable.Repeat(sentinel, 40)];
        T[] withLogSumExps = [.. z, .. Enumerable.Repeat(sentinel, 40)];
        T[] logSumExps = [.. Garbage<T>(rows), sentinel];
        Softmax.ComputeRows<T>(z, separate.AsSpan(0, length), width);
        Softmax.ComputeRows<T>(inPlace.AsSpan(0, length), inPlace.AsSpan(0, length), width);
        Softmax.ComputeRows<T>(withLogSumExps.AsSpan(0, length), withLogSumExps.AsSpan(0, length), width, logSumExps.AsSpan(0, rows));

        string name = $"Softmax.ComputeRows<{typeof(T).Name}>, {rows} rows of {width}";
        Assert.All(separate.Skip(length), v => Assert.Equal(sentinel, v));
        Assert.All(inPlace.Skip(length), v => Assert.Equal(sentinel, v));
        Assert.All(withLogSumExps.Skip(length), v => Assert.Equal(sentinel, v));
        Assert.Equal(sentinel, logSumExps[rows]);
        AssertBitIdentical<T>(separate.AsSpan(0, length).ToArray(), inPlace.AsSpan(0, length).ToArray(), $"{name}: in place against into another span");
        AssertBitIdentical<T>(separate.AsSpan(0, length).ToArray(), withLogSumExps.AsSpan(0, length).ToArray(), $"{name}: with the logsumexps against without");
        for (int r = 0; r < rows; r++)
        {
            T[] row = z.AsSpan(r * width, width).ToArray();
            T[] actual = separate.AsSpan(r * width, width).ToArray();
            if (row.Any(T.IsNaN))
            {
                Assert.All(actual, y => Assert.True(T.IsNaN(y), $"{name}, row {r} holds a NaN: an output is {y}, expected NaN."));
                Assert.True(T.IsNaN(logSumExps[r]), $"{name}, row {r} holds a NaN: its logsumexp is {logSumExps[r]}, expected NaN.");
                continue;
            }

            (double[] expected, double expectedLogSumExp) = Reference.Softmax(row);
            NumericAssert.AllClose(expected, Widen(actual), Tolerance<T>(), floor: 1, $"{name}, row {r}");
            NumericAssert.Close(expectedLogSumExp, double.CreateChecked(logSumExps[r]), Tolerance<T>(), floor: 1, $"{name}, row {r}: its logsumexp");
        }
    }

    /// <summary>Outputs finite, summing to 1 and matching the double reference; the return value is logsumexp(z).</summary>
    private static void AssertSoftmaxAgreesWithReference<T>(T[] z, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] output = Garbage<T>(z.Length);

        T logSumExp = Softmax.Compute<T>(z, output);

        (double[] expected, double expectedLogSumExp) = Reference.Softmax(z);
        double tolerance = Tolerance<T>();
        Assert.All(output, y => Assert.True(T.IsFinite(y) && y >= T.Zero && y <= T.One, $"{name}: an output is {y}."));
        NumericAssert.Close(1, output.Sum(y => double.CreateChecked(y)), tolerance, 1, $"{name}: Σy");
        NumericAssert.AllClose(expected, Widen(output), tolerance, floor: 1, $"{name}: y");
        NumericAssert.Close(expectedLogSumExp, double.CreateChecked(logSumExp), tolerance, floor: 1, $"{name}: the returned logsumexp");
    }

    // ------------------------------------------------------------------------------------------------
    // Data and the double-precision reference
    // ------------------------------------------------------------------------------------------------

    /// <summary>
    /// One dense layer's spans with values in [−1, 1) from a seed fixed by the shape. Every third δ (rows
    /// 2, 5, 8, …) is exactly 0: a ReLU unit that did not fire.
    /// </summary>
    private sealed record Layer<T>(int Rows, int Columns, T[] Weights, T[] Biases, T[] Delta, T[] Input, T[] WeightGradient, T[] BiasGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static Layer<T> Draw(int rows, int columns)
        {
            var random = new Random((1_000 * rows) + columns);
            T[] Values(int count) => [.. Enumerable.Range(0, count).Select(_ => T.CreateChecked(Samples.Uniform(random, -1, 1)))];
            T[] delta = Values(rows);
            for (int j = 2; j < rows; j += 3)
            {
                delta[j] = T.Zero;
            }

            return new Layer<T>(rows, columns, Values(rows * columns), Values(rows), delta, Values(columns), Values(rows * columns), Values(rows));
        }
    }

    /// <summary>
    /// Naive loops in double over the layer's (exactly widened) values. Each result comes with its scale,
    /// the sum of the magnitudes of its terms, against which the kernel's rounding error is measured.
    /// </summary>
    private static class Reference
    {
        /// <summary>zⱼ = bⱼ + Σᵢ W[j, i]·xᵢ.</summary>
        public static (double[] Values, double[] Scales) Forward<T>(Layer<T> layer)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var z = new double[layer.Rows];
            var scale = new double[layer.Rows];
            for (int j = 0; j < layer.Rows; j++)
            {
                z[j] = D(layer.Biases[j]);
                scale[j] = Math.Abs(z[j]);
                for (int i = 0; i < layer.Columns; i++)
                {
                    double term = D(layer.Weights[(j * layer.Columns) + i]) * D(layer.Input[i]);
                    z[j] += term;
                    scale[j] += Math.Abs(term);
                }
            }

            return (z, scale);
        }

        /// <summary>(Wᵀδ)ᵢ = Σⱼ W[j, i]·δⱼ, for the given weights.</summary>
        public static (double[] Values, double[] Scales) Propagate<T>(Layer<T> layer, T[] weights)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var sum = new double[layer.Columns];
            var scale = new double[layer.Columns];
            for (int i = 0; i < layer.Columns; i++)
            {
                for (int j = 0; j < layer.Rows; j++)
                {
                    double term = D(weights[(j * layer.Columns) + i]) * D(layer.Delta[j]);
                    sum[i] += term;
                    scale[i] += Math.Abs(term);
                }
            }

            return (sum, scale);
        }

        /// <summary>W[j, i] − α·δⱼ·xᵢ.</summary>
        public static (double[] Values, double[] Scales) Step<T>(Layer<T> layer, double alpha)
            where T : unmanaged, IFloatingPointIeee754<T>
            => Outer(layer, layer.Weights, -alpha);

        /// <summary>∂L/∂W[j, i] + δⱼ·xᵢ.</summary>
        public static (double[] Values, double[] Scales) Accumulate<T>(Layer<T> layer)
            where T : unmanaged, IFloatingPointIeee754<T>
            => Outer(layer, layer.WeightGradient, 1);

        /// <summary>vⱼ + factor·δⱼ (biases and their gradient).</summary>
        public static (double[] Values, double[] Scales) Add<T>(T[] values, T[] delta, double factor)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            double[] sum = [.. values.Select((v, j) => D(v) + (factor * D(delta[j])))];
            double[] scale = [.. values.Select((v, j) => Math.Abs(D(v)) + Math.Abs(factor * D(delta[j])))];
            return (sum, scale);
        }

        /// <summary>softmax(z) and logsumexp(z), the largest logit subtracted first.</summary>
        public static (double[] Values, double LogSumExp) Softmax<T>(T[] z)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            double max = z.Max(D);
            double[] exponentials = [.. z.Select(v => Math.Exp(D(v) - max))];
            double sum = exponentials.Sum();
            return ([.. exponentials.Select(e => e / sum)], max + Math.Log(sum));
        }

        /// <summary>start[j, i] + factor·δⱼ·xᵢ.</summary>
        private static (double[] Values, double[] Scales) Outer<T>(Layer<T> layer, T[] start, double factor)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var values = new double[start.Length];
            var scale = new double[start.Length];
            for (int j = 0; j < layer.Rows; j++)
            {
                for (int i = 0; i < layer.Columns; i++)
                {
                    int k = (j * layer.Columns) + i;
                    double term = factor * D(layer.Delta[j]) * D(layer.Input[i]);
                    values[k] = D(start[k]) + term;
                    scale[k] = Math.Abs(D(start[k])) + Math.Abs(term);
                }
            }

            return (values, scale);
        }

        private static double D<T>(T value)
            where T : unmanaged, IFloatingPointIeee754<T>
            => double.CreateChecked(value);
    }

    // ------------------------------------------------------------------------------------------------
    // Helpers
    // ------------------------------------------------------------------------------------------------

    private static void Run(Precision precision, Action single, Action @double)
        => (precision == Precision.Single ? single : @double)();

    private static double Tolerance<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? SingleTolerance : DoubleTolerance;

    /// <summary>What a kernel must overwrite: NaN and huge values, so a sum into it instead of a store shows.</summary>
    private static T[] Garbage<T>(int length)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. Enumerable.Range(0, length).Select(i => i % 2 == 0 ? T.NaN : T.CreateChecked(-1e30))];

    private static double[] Widen<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => [.. values.Select(double.CreateChecked)];

    /// <summary>
    /// Every element within the tolerance of its precision, the error relative to the element's scale
    /// (or to its value, when that is larger).
    /// </summary>
    private static void AssertClose<T>((double[] Values, double[] Scales) expected, T[] actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Values.Length, actual.Length);
        double tolerance = Tolerance<T>();
        for (int k = 0; k < actual.Length; k++)
        {
            NumericAssert.Close(expected.Values[k], double.CreateChecked(actual[k]), tolerance, Math.Max(expected.Scales[k], double.Epsilon), $"{what}[{k}]");
        }
    }

    private static void AssertBitIdentical<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
        {
            if (!MemoryMarshal.AsBytes(expected.Slice(k, 1)).SequenceEqual(MemoryMarshal.AsBytes(actual.Slice(k, 1))))
            {
                Assert.Fail($"{what}[{k}]: expected {expected[k]}, actual {actual[k]} (bit for bit).");
            }
        }
    }
}
