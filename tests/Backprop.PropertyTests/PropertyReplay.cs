using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Backprop.PropertyTests;

/// <summary>
/// Runs the checks of <see cref="NetworkProperties"/> on drawn cases: in batches (one compilation and one
/// collectible load context for many networks, as the property test does), or one case alone, as a replay.
/// </summary>
public static class PropertyReplay
{
    /// <summary>
    /// Replays the case a CsCheck seed draws (printed by a failing run as <c>CsCheck seed "…"</c>): generates,
    /// compiles and checks it alone.
    /// </summary>
    public static void CheckSeed(string seed) => CheckAlone(Architectures.FromSeed(seed));

    /// <summary>
    /// Replays a printed declaration with its data seed, e.g. pasted from a failing run into a plain test:
    /// <c>PropertyReplay.CheckDeclaration(dataSeed: 42, """ using Backprop; … public partial class Net; """);</c>
    /// </summary>
    public static void CheckDeclaration(int dataSeed, string declaration) => CheckAlone(ArchitectureCase.Parse(declaration, dataSeed));

    internal static void CheckAlone(ArchitectureCase @case, Margins? margins = null)
    {
        Failure[] failures = CheckBatch([(Seed: "", Case: @case)], margins ?? new Margins(), out _);
        if (failures.Length > 0)
        {
            throw failures[0].Error;
        }
    }

    /// <summary>A case that failed, the CsCheck seed that draws it, and the exception it failed with.</summary>
    internal sealed record Failure(string Seed, ArchitectureCase Case, Exception Error);

    /// <summary>
    /// Generates, compiles and loads every case of <paramref name="batch"/> together, checks each, and
    /// unloads the assembly (<paramref name="unloaded"/> tells when it has gone). Returns the cases that
    /// failed. When the batch does not compile, each case is tried alone, so the failure names its own declaration.
    /// </summary>
    internal static Failure[] CheckBatch(IReadOnlyList<(string Seed, ArchitectureCase Case)> batch, Margins margins, out WeakReference[] unloaded)
    {
        var sources = new List<string>();
        for (int k = 0; k < batch.Count; k++)
        {
            sources.Add(batch[k].Case.Declaration(ClassName(k)));
            if (batch[k].Case.Precision == Precision.Single)
            {
                sources.Add(batch[k].Case.Declaration(TwinName(k), Precision.Double));
            }
        }

        InMemoryNetworks networks;
        long start = Stopwatch.GetTimestamp();
        try
        {
            networks = InMemoryNetworks.Compile(sources);
            Interlocked.Add(ref compileTicks, Stopwatch.GetTimestamp() - start);
        }
        catch (Exception) when (batch.Count > 1)
        {
            var failures = new List<Failure>();
            var contexts = new List<WeakReference>();
            foreach ((string Seed, ArchitectureCase Case) alone in batch)
            {
                failures.AddRange(CheckBatch([alone], margins, out WeakReference[] one));
                contexts.AddRange(one);
            }

            unloaded = [.. contexts];
            return [.. failures];
        }
        catch (Exception e)
        {
            unloaded = [];
            return [new Failure(batch[0].Seed, batch[0].Case, e)];
        }

        using (networks)
        {
            unloaded = [networks.Track()];
            start = Stopwatch.GetTimestamp();
            var failures = new List<Failure>();
            for (int k = 0; k < batch.Count; k++)
            {
                string name = ClassName(k);
                string twin = TwinName(k);
                CaseNetworks instances = batch[k].Case.Precision == Precision.Double
                    ? new(() => networks.Create<double>(name), null)
                    : new(() => networks.Create<double>(twin), () => networks.Create<float>(name));
                try
                {
                    using IDisposable about = Margins.About($"{batch[k].Case.Precision} {batch[k].Case.Architecture} (seed \"{batch[k].Seed}\")");
                    NetworkProperties.Check(batch[k].Case, instances, margins);
                }
                catch (Exception e)
                {
                    failures.Add(new Failure(batch[k].Seed, batch[k].Case, e));
                }
            }

            Interlocked.Add(ref checkTicks, Stopwatch.GetTimestamp() - start);
            return [.. failures];
        }
    }

    private static long compileTicks;
    private static long checkTicks;

    /// <summary>The time spent generating and compiling, and the time spent checking (summed over threads), since the process started.</summary>
    internal static (TimeSpan Compiling, TimeSpan Checking) Timings
        => (Stopwatch.GetElapsedTime(0, Volatile.Read(ref compileTicks)), Stopwatch.GetElapsedTime(0, Volatile.Read(ref checkTicks)));

    /// <summary>The source of a plain test that replays <paramref name="case"/>.</summary>
    internal static string PlainTest(ArchitectureCase @case)
    {
        var test = new StringBuilder();
        test.Append("[Fact]\n");
        test.Append(CultureInfo.InvariantCulture, $"public void Replay() => PropertyReplay.CheckDeclaration(dataSeed: {@case.DataSeed}, \"\"\"\n");
        foreach (string line in @case.Declaration().TrimEnd('\n').Split('\n'))
        {
            test.Append(line.Length == 0 ? "\n" : $"    {line}\n");
        }

        test.Append("    \"\"\");\n");
        return test.ToString();
    }

    private static string ClassName(int k) => $"Net{k}";

    private static string TwinName(int k) => $"Net{k}DoubleTwin";
}
