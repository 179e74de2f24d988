using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Backprop.Generator.Benchmarks;

/// <summary>
/// An in-memory user project with <c>networkCount</c> networks, one per file, drawn in turn from
/// a mix of shapes, plus a fixed set of files of ordinary code that has nothing to do with the
/// generator. Compiled as the SDK would: against the .NET 10 reference assemblies and the
/// Backprop runtime library.
/// </summary>
internal sealed class UserProject
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(NetworkAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location),
    ];

    /// <summary>
    /// The shapes networks are drawn from, in turn: network i has shape i mod 7. The first is the
    /// one the "one network edited" benchmark changes.
    /// </summary>
    private static readonly string[] Shapes =
    [
        // Iris: 4-8-3, tanh, softmax, cross-entropy.
        """
        [Network(Loss.CrossEntropy)]
        [Input(4)]
        [Dense(8, Activation.Tanh)]
        [Dense(3, Activation.Softmax)]
        """,
        // 16-16-16-4 regression.
        """
        [Network(Loss.MeanSquaredError)]
        [Input(16)]
        [Dense(16, Activation.ReLU)]
        [Dense(16, Activation.ReLU)]
        [Dense(4, Activation.Identity)]
        """,
        // 64-32-10 classifier (large enough that the planner loops a layer).
        """
        [Network(Loss.CrossEntropy)]
        [Input(64)]
        [Dense(32, Activation.ReLU)]
        [Dense(10, Activation.Softmax)]
        """,
        // XOR: 2-4-1.
        """
        [Network(Loss.BinaryCrossEntropy)]
        [Input(2)]
        [Dense(4, Activation.Tanh)]
        [Dense(1, Activation.Sigmoid)]
        """,
        // Logistic regression in double: 13-1.
        """
        [Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
        [Input(13)]
        [Dense(1, Activation.Sigmoid)]
        """,
        // 8-6-5-2 with two hidden layers.
        """
        [Network(Loss.SumSquaredError)]
        [Input(8)]
        [Dense(6, Activation.LeakyReLU)]
        [Dense(5, Activation.Tanh)]
        [Dense(2, Activation.Sigmoid)]
        """,
        // Function fitting in double: 1-20-1.
        """
        [Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
        [Input(1)]
        [Dense(20, Activation.Tanh)]
        [Dense(1, Activation.Identity)]
        """,
    ];

    /// <summary>Ordinary code: records, services with LINQ and async, attributes the generator must look past.</summary>
    private static readonly (string Path, string Text)[] UnrelatedFiles =
    [
        ("Domain/Customer.cs", """
            using System;
            using System.Diagnostics;
            namespace Shop.Domain;

            [DebuggerDisplay("{Name} ({Id})")]
            public sealed record Customer(Guid Id, string Name, string Email)
            {
                public bool IsValid => !string.IsNullOrWhiteSpace(Name) && Email.Contains('@');
            }

            [Serializable]
            public sealed record Address(string Street, string City, string PostalCode, string Country);
            """),
        ("Domain/Order.cs", """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            namespace Shop.Domain;

            public enum OrderStatus { Draft, Placed, Shipped, Delivered, Cancelled }

            public sealed class Order
            {
                private readonly List<OrderLine> _lines = new();
                public Guid Id { get; } = Guid.NewGuid();
                public Customer Customer { get; }
                public OrderStatus Status { get; private set; } = OrderStatus.Draft;
                public IReadOnlyList<OrderLine> Lines => _lines;

                public Order(Customer customer) => Customer = customer;

                public void Add(string sku, int quantity, decimal unitPrice)
                {
                    if (Status != OrderStatus.Draft) throw new InvalidOperationException("Only a draft can change.");
                    _lines.Add(new OrderLine(sku, quantity, unitPrice));
                }

                public decimal Total => _lines.Sum(l => l.Quantity * l.UnitPrice);

                public void Place()
                {
                    if (_lines.Count == 0) throw new InvalidOperationException("An order needs a line.");
                    Status = OrderStatus.Placed;
                }
            }

            public readonly record struct OrderLine(string Sku, int Quantity, decimal UnitPrice);
            """),
        ("Services/PricingService.cs", """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using Shop.Domain;
            namespace Shop.Services;

            public interface IPricingService
            {
                decimal Discount(Order order);
            }

            public sealed class PricingService : IPricingService
            {
                private readonly IReadOnlyDictionary<string, decimal> _rates;

                public PricingService(IReadOnlyDictionary<string, decimal> rates) => _rates = rates;

                public decimal Discount(Order order)
                {
                    decimal total = order.Total;
                    decimal rate = order.Lines
                        .Select(line => _rates.TryGetValue(line.Sku, out decimal r) ? r : 0m)
                        .DefaultIfEmpty(0m)
                        .Max();
                    return Math.Round(total * rate, 2, MidpointRounding.ToEven);
                }
            }
            """),
        ("Services/OrderRepository.cs", """
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Shop.Domain;
            namespace Shop.Services;

            public interface IRepository<TKey, TValue> where TKey : notnull
            {
                Task<TValue?> FindAsync(TKey key, CancellationToken cancellationToken = default);
                Task SaveAsync(TKey key, TValue value, CancellationToken cancellationToken = default);
            }

            public sealed class InMemoryRepository<TKey, TValue> : IRepository<TKey, TValue> where TKey : notnull
            {
                private readonly ConcurrentDictionary<TKey, TValue> _items = new();

                public Task<TValue?> FindAsync(TKey key, CancellationToken cancellationToken = default)
                    => Task.FromResult(_items.TryGetValue(key, out TValue? value) ? value : default);

                public Task SaveAsync(TKey key, TValue value, CancellationToken cancellationToken = default)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _items[key] = value;
                    return Task.CompletedTask;
                }

                public IEnumerable<TKey> Keys => _items.Keys.OrderBy(k => k);
            }

            public sealed class OrderRepository(IRepository<Guid, Order> inner)
            {
                public async Task<Order> GetAsync(Guid id, CancellationToken cancellationToken)
                    => await inner.FindAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"No order {id}.");
            }
            """),
        ("Text/Slug.cs", """
            using System;
            using System.Globalization;
            using System.Text;
            namespace Shop.Text;

            public static class Slug
            {
                public static string Create(string title)
                {
                    var builder = new StringBuilder(title.Length);
                    bool dash = false;
                    foreach (char c in title.Normalize(NormalizationForm.FormD))
                    {
                        if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
                        if (char.IsLetterOrDigit(c)) { builder.Append(char.ToLowerInvariant(c)); dash = false; }
                        else if (!dash && builder.Length > 0) { builder.Append('-'); dash = true; }
                    }
                    return builder.ToString().TrimEnd('-');
                }
            }
            """),
        ("Text/Csv.cs", """
            using System;
            using System.Collections.Generic;
            namespace Shop.Text;

            public static class Csv
            {
                public static IEnumerable<float[]> ReadRows(string text, int columns)
                {
                    foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        string[] cells = line.Split(',');
                        if (cells.Length != columns) throw new FormatException($"Expected {columns} columns, got {cells.Length}.");
                        float[] row = new float[columns];
                        for (int i = 0; i < columns; i++) row[i] = float.Parse(cells[i], System.Globalization.CultureInfo.InvariantCulture);
                        yield return row;
                    }
                }
            }
            """),
        ("Analytics/Statistics.cs", """
            using System;
            namespace Shop.Analytics;

            public static class Statistics
            {
                public static (float Mean, float StdDev) MeanAndStdDev(ReadOnlySpan<float> values)
                {
                    if (values.IsEmpty) return (0f, 0f);
                    float mean = 0f;
                    for (int i = 0; i < values.Length; i++) mean += values[i];
                    mean /= values.Length;
                    float variance = 0f;
                    for (int i = 0; i < values.Length; i++) variance += (values[i] - mean) * (values[i] - mean);
                    return (mean, MathF.Sqrt(variance / values.Length));
                }

                public static void Standardize(Span<float> values)
                {
                    (float mean, float std) = MeanAndStdDev(values);
                    float scale = std > 0f ? 1f / std : 1f;
                    for (int i = 0; i < values.Length; i++) values[i] = (values[i] - mean) * scale;
                }

                public static int ArgMax(ReadOnlySpan<float> values)
                {
                    int best = 0;
                    for (int i = 1; i < values.Length; i++)
                    {
                        if (values[i] > values[best]) best = i;
                    }
                    return best;
                }
            }
            """),
        ("Analytics/Clock.cs", """
            using System;
            namespace Shop.Analytics;

            [Obsolete("Use TimeProvider.")]
            public sealed class Clock
            {
                public DateTimeOffset Now => DateTimeOffset.UtcNow;
            }
            """),
    ];

    /// <summary>The file the "unrelated edit" changes, and the edit: a method body, as a user typing would.</summary>
    private const string UnrelatedEditPath = "Analytics/Statistics.cs";
    private const string UnrelatedEditOld = "for (int i = 1; i < values.Length; i++)";
    private const string UnrelatedEditNew = "for (int i = values.Length - 1; i > 0; i--)";

    /// <summary>The edit the "one network edited" benchmark makes to network 0 (Iris): one more hidden neuron.</summary>
    private const string NetworkEditOld = "[Dense(8, Activation.Tanh)]";
    private const string NetworkEditNew = "[Dense(9, Activation.Tanh)]";

    public UserProject(int networkCount)
    {
        NetworkCount = networkCount;
        List<SyntaxTree> trees = [];
        for (int i = 0; i < networkCount; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(NetworkSource(i), ParseOptions, path: $"Models/Net{i:D3}.cs", encoding: System.Text.Encoding.UTF8));
        }

        foreach ((string path, string text) in UnrelatedFiles)
        {
            trees.Add(CSharpSyntaxTree.ParseText(text, ParseOptions, path: path, encoding: System.Text.Encoding.UTF8));
        }

        _trees = [.. trees];
        Compilation = CreateCompilation();

        SyntaxTree unrelated = trees.Single(t => t.FilePath == UnrelatedEditPath);
        UnrelatedTree = unrelated;
        UnrelatedTreeEdited = Edit(unrelated, UnrelatedEditOld, UnrelatedEditNew);
        NetworkTree = trees[0];
        NetworkTreeEdited = Edit(trees[0], NetworkEditOld, NetworkEditNew);
    }

    private static readonly CSharpCompilationOptions CompilationOptions =
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
            // As the .NET SDK does: the runtime library targets net8.0 and unifies with .NET 10's assemblies.
            .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]);

    private readonly ImmutableArray<SyntaxTree> _trees;

    public int NetworkCount { get; }

    /// <summary>
    /// A new compilation of the already-parsed files: no symbol, binding or declaration table is
    /// shared with any other compilation. Parsing is the compiler's work, not the generator's.
    /// </summary>
    public CSharpCompilation CreateCompilation() => CSharpCompilation.Create("UserProject", _trees, References, CompilationOptions);

    /// <summary>The project before any edit: parsed, no semantic work done yet.</summary>
    public CSharpCompilation Compilation { get; }

    public SyntaxTree UnrelatedTree { get; }

    /// <summary><see cref="UnrelatedTree"/> after the edit, reparsed incrementally as an editor does.</summary>
    public SyntaxTree UnrelatedTreeEdited { get; }

    public SyntaxTree NetworkTree { get; }

    /// <summary><see cref="NetworkTree"/> after its first hidden layer grew from 8 to 9 neurons.</summary>
    public SyntaxTree NetworkTreeEdited { get; }

    /// <summary>A driver with no history, as at the start of a build or when a project is opened.</summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = false)
        => CSharpGeneratorDriver.Create(
            [new NetworkGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    private static string NetworkSource(int i) => $$"""
        using Backprop;

        namespace Shop.Models.Group{{i / 10}};

        {{Shapes[i % Shapes.Length]}}
        public partial class Net{{i:D3}};
        """;

    /// <summary>The tree with one text change, reparsed incrementally (<see cref="SyntaxTree.WithChangedText"/>).</summary>
    private static SyntaxTree Edit(SyntaxTree tree, string oldText, string newText)
    {
        SourceText text = tree.GetText();
        int start = text.ToString().IndexOf(oldText, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"'{oldText}' is not in {tree.FilePath}.");
        }

        return tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(start, oldText.Length), newText)));
    }
}
