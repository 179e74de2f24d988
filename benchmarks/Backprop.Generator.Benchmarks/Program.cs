using BenchmarkDotNet.Running;

namespace Backprop.Generator.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project benchmarks/Backprop.Generator.Benchmarks -- --filter '*'</c>;
/// any BenchmarkDotNet command-line option works (<c>--list flat</c>, <c>--filter '*Cold*'</c>, …).
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
