using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Backprop.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Backprop.PropertyTests;

/// <summary>
/// Declarations run through the generator, compiled (Release) into one in-memory assembly and loaded into
/// a collectible <see cref="AssemblyLoadContext"/>, so hundreds of them do not pile up in the test process.
/// The Backprop runtime assembly is not loaded again: the context falls back to the test's own copy, so
/// the networks implement the very <see cref="INetwork{T}"/> the test casts to.
/// </summary>
internal sealed class InMemoryNetworks : IDisposable
{
    private readonly AssemblyLoadContext context;
    private readonly Assembly assembly;

    private InMemoryNetworks(AssemblyLoadContext context, Assembly assembly)
    {
        this.context = context;
        this.assembly = assembly;
    }

    /// <summary>
    /// Generates and compiles <paramref name="sources"/>. Fails (an assertion naming every problem) unless the
    /// generator reports nothing and the generated code compiles without an error or warning.
    /// </summary>
    public static InMemoryNetworks Compile(IReadOnlyList<string> sources)
    {
        GeneratorOutcome outcome = GeneratorHarness.Run([.. sources]).AssertCompilesCleanly();
        Compilation release = outcome.OutputCompilation.WithOptions(
            ((CSharpCompilationOptions)outcome.OutputCompilation.Options).WithOptimizationLevel(OptimizationLevel.Release));
        using var image = new MemoryStream();
        EmitResult result = release.Emit(image);
        ImmutableArray<Diagnostic> problems = [.. result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)];
        Assert.True(result.Success && problems.IsEmpty, "The generated code does not compile in Release:\n" + string.Join("\n", problems));

        image.Position = 0;
        var context = new AssemblyLoadContext("Backprop.PropertyTests networks", isCollectible: true);
        return new InMemoryNetworks(context, context.LoadFromStream(image));
    }

    /// <summary>A new instance of the network class <paramref name="className"/> (declared in the global namespace).</summary>
    public INetwork<T> Create<T>(string className)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Type type = assembly.GetType(className, throwOnError: true)!;
        return Assert.IsAssignableFrom<INetwork<T>>(Activator.CreateInstance(type));
    }

    /// <summary>Starts unloading the assembly; it goes once nothing refers to its networks any more.</summary>
    public void Dispose() => context.Unload();

    /// <summary>A handle that dies when the context has been collected, to check that the contexts do go.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public WeakReference Track() => new(context);
}
