namespace Backprop.PropertyTests;

/// <summary>
/// Cases replayed as plain tests, in the form a failing run of <see cref="RandomArchitectureTests"/> prints:
/// paste its "Replay as a plain test" here to keep a failure as a regression test.
/// </summary>
public sealed class ReplayTests
{
    [Fact]
    public void Replay_by_CsCheck_seed() => PropertyReplay.CheckSeed(RandomArchitectureTests.Seed);

    [Fact]
    public void Four_hidden_layers_float_softmax_cross_entropy() => PropertyReplay.CheckDeclaration(dataSeed: 7, """
        using Backprop;

        [Network(Loss.CrossEntropy)]
        [Input(5)]
        [Dense(7, Activation.ReLU)]
        [Dense(3, Activation.LeakyReLU)]
        [Dense(12, Activation.Tanh)]
        [Dense(4, Activation.Identity)]
        [Dense(6, Activation.Softmax)]
        public partial class Net;
        """);
}
