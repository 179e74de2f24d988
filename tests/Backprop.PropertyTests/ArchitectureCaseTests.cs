namespace Backprop.PropertyTests;

/// <summary>The replay machinery: what a failing run prints must bring back exactly the case that failed.</summary>
public sealed class ArchitectureCaseTests
{
    private static readonly IReadOnlyList<(string Seed, ArchitectureCase Case)> Drawn =
        Architectures.Draw(RandomArchitectureTests.Seed, RandomArchitectureTests.Cases);

    [Fact]
    public void Each_case_seed_draws_that_case_alone()
    {
        Assert.All(Drawn, drawn =>
        {
            ArchitectureCase replayed = Architectures.FromSeed(drawn.Seed);
            Assert.Equal(drawn.Case.Declaration(), replayed.Declaration());
            Assert.Equal(drawn.Case.DataSeed, replayed.DataSeed);
        });
    }

    [Fact]
    public void A_printed_declaration_parses_back_to_its_case()
    {
        Assert.All(Drawn, drawn =>
        {
            ArchitectureCase parsed = ArchitectureCase.Parse(drawn.Case.Declaration(), drawn.Case.DataSeed);
            Assert.Equal((drawn.Case.Loss, drawn.Case.Precision, drawn.Case.InputSize, drawn.Case.DataSeed), (parsed.Loss, parsed.Precision, parsed.InputSize, parsed.DataSeed));
            Assert.Equal(drawn.Case.Layers, parsed.Layers);
        });
    }

    [Fact]
    public void Parse_rejects_what_it_would_not_print_back()
    {
        Assert.Throws<ArgumentException>(() => ArchitectureCase.Parse("[Network(Loss.CrossEntropy)] [Input(2)] [Dense(3, Activation.Softmax)] public partial class Net;", 0));
        Assert.Throws<ArgumentException>(() => ArchitectureCase.Parse("""
            using Backprop;

            [Network(Loss.SumSquaredError)]
            [Input(2)]
            [Dense(3, Activation.Tanh)]
            [Dense(size: 1, Activation.Sigmoid)]
            public partial class Net;
            """, 0));
    }
}
