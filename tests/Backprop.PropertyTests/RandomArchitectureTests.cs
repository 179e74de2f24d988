using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Backprop.Tests.Registry;
using CsCheck;

namespace Backprop.PropertyTests;

/// <summary>
/// Random architectures, exact gradients (issue #4). <see cref="Cases"/> valid networks are drawn from a
/// fixed CsCheck seed — 0 to 4 hidden layers of 1 to 12 neurons with every hidden activation, every
/// accepted output activation · loss pair, float and double — and each is generated, compiled in memory,
/// loaded into a collectible context and checked by <see cref="NetworkProperties"/>: every parameter's
/// gradient against finite differences in double (relative error ≤ 10⁻⁶, data off the kinks of ReLU,
/// LeakyReLU, ELU, Huber's loss and the mean absolute error; float networks through a double twin), Forward
/// and ComputeLoss against the reference implementation, and TrainStep and TrainBatch against Backward and an
/// SGD step.
/// </summary>
/// <remarks>
/// <para>
/// Every run checks the same cases: case n is drawn from the state the n − 1 draws before it leave (not from
/// CsCheck's <c>Sample</c>, whose <c>seed</c> fixes only the first iteration). The cases are compiled
/// <see cref="BatchSize"/> to an assembly, two batches at a time.
/// </para>
/// <para>
/// On a failure the message gives, for the first failing case, its own CsCheck seed, its declaration and
/// data seed and the failed check; then CsCheck shrinks it (a <c>Sample</c> started from that seed, which
/// keeps the smallest failing case it draws in <see cref="ShrinkIterations"/> more) and the message gives the
/// smallest failing declaration too, with a plain test to paste. To replay:
/// </para>
/// <list type="bullet">
/// <item><c>PropertyReplay.CheckSeed("…")</c> with a printed CsCheck seed, or</item>
/// <item><c>PropertyReplay.CheckDeclaration(dataSeed: n, """…""")</c> with a printed declaration (see
/// <see cref="ReplayTests"/> for the form), as a plain <c>[Fact]</c>.</item>
/// </list>
/// </remarks>
public sealed partial class RandomArchitectureTests(ITestOutputHelper output)
{
    /// <summary>Fixed, so every CI run checks the same architectures. Made with <c>new PCG(4, 20_250_604).ToString()</c>.</summary>
    public const string Seed = "0000001df-R4";

    /// <summary>
    /// Architectures per run (each float one also compiles its double twin). Each case draws one of the 52 accepted
    /// output activation · loss pairs uniformly, and <see cref="AssertCoverage"/> wants every pair drawn: the chance
    /// that n cases miss one is about 52·(51/52)ⁿ, 50% at 240 cases, 5% at 360. With 20 pairs, 240 cases drew each
    /// about 12 times; now it is about 7.
    /// </summary>
    public const int Cases = 360;

    /// <summary>
    /// Networks per compilation. Compiling costs about the same per network either way (measured on 2 cores:
    /// about a minute of CPU for the run, one network or 16 to an assembly); batches keep the number of
    /// assemblies and load contexts down to a few.
    /// </summary>
    public const int BatchSize = 16;

    /// <summary>How many further cases CsCheck draws when shrinking a failure (each smaller one is compiled alone).</summary>
    public const int ShrinkIterations = 200;

    [Fact]
    public void Random_architectures_have_exact_gradients_and_consistent_training_steps()
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<(string Seed, ArchitectureCase Case)> cases = Architectures.Draw(Seed, Cases);
        ArchitectureCase[] drawn = [.. cases.Select(c => c.Case)];
        var margins = new Margins();
        var failures = new ConcurrentBag<PropertyReplay.Failure>();
        var contexts = new ConcurrentBag<WeakReference>();

        Parallel.ForEach(
            cases.Chunk(BatchSize),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            batch =>
            {
                PropertyReplay.Failure[] failed = PropertyReplay.CheckBatch(batch, margins, out WeakReference[] unloaded);
                foreach (PropertyReplay.Failure failure in failed)
                {
                    failures.Add(failure);
                }

                foreach (WeakReference context in unloaded)
                {
                    contexts.Add(context);
                }
            });
        TimeSpan checking = clock.Elapsed;

        (TimeSpan compiling, TimeSpan checks) = PropertyReplay.Timings;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{Cases} architectures checked in {checking.TotalSeconds:F1} s, {contexts.Count} assemblies (generating and compiling {compiling.TotalSeconds:F1} s, checking {checks.TotalSeconds:F1} s, summed over threads)."));
        output.WriteLine(Coverage(drawn));
        output.WriteLine("Tolerances used:\n" + margins.Report());

        if (!failures.IsEmpty)
        {
            var order = cases.Select((c, n) => (c.Seed, n)).ToDictionary(c => c.Seed, c => c.n);
            Assert.Fail(Explain([.. failures.OrderBy(f => order[f.Seed])]));
        }

        AssertCoverage(drawn);
        Assert.Equal(drawn.Count(c => c.Precision == Precision.Double), margins.Completed.GetValueOrDefault(Precision.Double));
        Assert.Equal(drawn.Count(c => c.Precision == Precision.Single), margins.Completed.GetValueOrDefault(Precision.Single));
        Assert.Equal(Cases, cases.Select(c => c.Seed).Distinct().Count());
        AssertUnloaded(contexts.ToArray());
    }

    /// <summary>The architectures must span the whole space, not a corner of it.</summary>
    private static void AssertCoverage(ArchitectureCase[] cases)
    {
        Assert.Equal(Cases, cases.Length);
        foreach (Activation activation in Declarable.HiddenActivations)
        {
            Assert.Contains(cases, c => c.Architecture.HiddenLayers.Any(l => l.Activation == activation));
        }

        foreach ((Activation output, Loss loss) in Declarable.AcceptedPairs)
        {
            Assert.Contains(cases, c => c.Architecture.OutputActivation == output && c.Loss == loss);
        }

        Assert.Contains(cases, c => c.Precision == Precision.Single);
        Assert.Contains(cases, c => c.Precision == Precision.Double);
        for (int hidden = 0; hidden <= Architectures.MaxHiddenLayers; hidden++)
        {
            Assert.Contains(cases, c => c.Architecture.HiddenLayerCount == hidden);
        }

        for (int size = Architectures.MinSize; size <= Architectures.MaxSize; size++)
        {
            Assert.Contains(cases, c => c.InputSize == size);
            Assert.Contains(cases, c => c.Architecture.HiddenLayers.Any(l => l.Size == size));
            Assert.Contains(cases, c => c.Architecture.OutputSize == size);
        }
    }

    /// <summary>Every collectible context goes once its networks are unreachable: the run does not keep 30 assemblies loaded.</summary>
    private static void AssertUnloaded(WeakReference[] contexts)
    {
        for (int attempt = 0; attempt < 20 && contexts.Any(c => c.IsAlive); attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.True(contexts.All(c => !c.IsAlive), $"{contexts.Count(c => c.IsAlive)} of {contexts.Length} load contexts were not collected.");
    }

    private static string Coverage(ArchitectureCase[] cases)
    {
        string Count<TKey>(IEnumerable<TKey> keys) where TKey : notnull
            => string.Join(", ", keys.GroupBy(k => k).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));

        return string.Join(
            "\n",
            $"Precision: {Count(cases.Select(c => c.Precision))}",
            $"Hidden layers: {Count(cases.Select(c => c.Architecture.HiddenLayerCount))}",
            $"Hidden activations (layers): {Count(cases.SelectMany(c => c.Architecture.HiddenLayers).Select(l => l.Activation))}",
            $"Output · loss: {Count(cases.Select(c => $"{c.Architecture.OutputActivation}·{c.Loss}"))}",
            $"Single softmax output: {cases.Count(c => c.Architecture.OutputActivation == Activation.Softmax && c.Architecture.OutputSize == 1)}",
            $"Parameters: {cases.Min(c => c.Architecture.ParameterCount)} to {cases.Max(c => c.Architecture.ParameterCount)}");
    }

    /// <summary>The failures, the first in full, shrunk by CsCheck, with a plain test to paste.</summary>
    private static string Explain(PropertyReplay.Failure[] failures)
    {
        PropertyReplay.Failure first = failures[0];
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"{failures.Length} of {Cases} random architectures failed (run seed \"{Seed}\"). The first:\n\n");
        message.Append(Describe(first.Seed, first.Case, first.Error));

        ArchitectureCase smallest = first.Case;
        try
        {
            Architectures.Cases.Sample(
                @case =>
                {
                    try
                    {
                        PropertyReplay.CheckAlone(@case);
                    }
                    catch (UncheckableCaseException)
                    {
                        // No test data for this shape: not the failure being shrunk.
                    }
                },
                seed: first.Seed,
                iter: ShrinkIterations,
                print: @case => @case.ToString());
            message.Append("\nAlone (compiled without the rest of its batch), the case passes: CsCheck could not shrink it.\n");
        }
        catch (CsCheckException shrunk)
        {
            message.Append("\nShrunk by CsCheck: ").Append(shrunk.Message).Append('\n');
            message.Append("Failure: ").Append(shrunk.InnerException?.Message).Append('\n');
            Match seed = ShrunkSeed().Match(shrunk.Message);
            smallest = seed.Success ? Architectures.FromSeed(seed.Groups["seed"].Value) : smallest;
        }

        message.Append("\nReplay as a plain test:\n").Append(PropertyReplay.PlainTest(smallest));
        if (failures.Length > 1)
        {
            message.Append("\nThe other failing cases (CsCheck seeds): ").Append(string.Join(", ", failures.Skip(1).Select(f => $"\"{f.Seed}\"")));
        }

        return message.ToString();
    }

    private static string Describe(string seed, ArchitectureCase @case, Exception error)
        => $"CsCheck seed \"{seed}\" (replay: PropertyReplay.CheckSeed(\"{seed}\"))\n{@case}\nFailure: {error.Message}\n";

    [GeneratedRegex("Set seed: \"(?<seed>[^\"]+)\"")]
    private static partial Regex ShrunkSeed();
}
