using Backprop.Generator.Definitions;
using GeneratorActivation = Backprop.Generator.Model.Activation;
using GeneratorLoss = Backprop.Generator.Model.Loss;
using GeneratorPrecision = Backprop.Generator.Model.Precision;

namespace Backprop.Generator.Tests.Definitions;

/// <summary>
/// The generator cannot reference the runtime library, so it mirrors the public enums and names the runtime's
/// operators by string. These tests tie each mirror to what it mirrors, and prove that every enum value has a
/// definition and that a value without one fails loudly instead of taking another's meaning.
/// </summary>
public class DefinitionTests
{
    [Fact]
    public void The_generators_enums_mirror_the_runtimes_by_name_and_value()
    {
        AssertMirrors<GeneratorActivation, Activation>();
        AssertMirrors<GeneratorLoss, Loss>();
        AssertMirrors<GeneratorPrecision, Precision>();
    }

    [Fact]
    public void Every_activation_and_loss_has_its_own_definition()
    {
        Assert.Equal(Enum.GetValues<GeneratorActivation>(), ActivationDefinition.All.Select(d => d.Value));
        Assert.Equal(Enum.GetValues<GeneratorLoss>(), LossDefinition.All.Select(d => d.Value));
        Assert.Equal(ActivationDefinition.All.Count, ActivationDefinition.All.Distinct().Count());
        Assert.Equal(LossDefinition.All.Count, LossDefinition.All.Distinct().Count());
    }

    [Fact]
    public void A_value_without_a_definition_throws_instead_of_taking_another_meaning()
    {
        var activation = (GeneratorActivation)Enum.GetValues<GeneratorActivation>().Cast<int>().Max() + 1;
        var loss = (GeneratorLoss)Enum.GetValues<GeneratorLoss>().Cast<int>().Max() + 1;

        Assert.Throws<ArgumentOutOfRangeException>(() => ActivationDefinition.Of(activation));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossDefinition.Of(loss));
    }

    /// <summary>Each runtime operator a definition names exists, is an activation operator, and reads what the definition says.</summary>
    [Theory]
    [MemberData(nameof(ElementWiseActivations))]
    public void Each_operator_exists_and_its_derivative_reads_what_the_definition_says(string name)
    {
        ActivationDefinition definition = ActivationDefinition.All.Single(d => d.Name == name);
        Assert.NotNull(definition.RuntimeOperator);

        Type? open = typeof(INetwork<>).Assembly.GetType($"Backprop.CompilerServices.{definition.RuntimeOperator}`1");
        Assert.NotNull(open);
        foreach (Type element in new[] { typeof(float), typeof(double) })
        {
            Type closed = open.MakeGenericType(element);
            Assert.Contains(typeof(CompilerServices.IActivationOperator<>).MakeGenericType(element), closed.GetInterfaces());
            bool readsZ = (bool)closed.GetProperty(nameof(CompilerServices.ReLUOperator<float>.DerivativeReadsPreActivation))!.GetValue(null)!;
            Assert.Equal(definition.DerivativeReads == DerivativeInput.PreActivation, readsZ);
        }
    }

    [Fact]
    public void Only_the_identity_and_softmax_have_no_operator()
    {
        Assert.Equal(
            [GeneratorActivation.Identity, GeneratorActivation.Softmax],
            ActivationDefinition.All.Where(d => d.RuntimeOperator is null).Select(d => d.Value));
        Assert.All(ActivationDefinition.All.Where(d => !d.IsElementWise), d => Assert.False(d.AllowedOnHiddenLayers));
    }

    /// <summary>A loss fused with an output activation has no separate ∂L/∂y; every other loss has one, in words and as C#.</summary>
    [Fact]
    public void Every_loss_is_fused_or_has_a_gradient()
    {
        Assert.All(LossDefinition.All, loss =>
        {
            if (loss.Fused is null)
            {
                Assert.NotNull(loss.Gradient);
                Assert.NotNull(loss.GradientFormula);
                Assert.Equal(LossInput.Outputs, loss.Reads);
            }
            else
            {
                Assert.Null(loss.Gradient);
                Assert.Equal(loss.Fused.Delta, loss.OutputDeltaWith(ActivationDefinition.Of(loss.Fused.Activation)));
            }
        });
    }

    public static TheoryData<string> ElementWiseActivations
        => new(ActivationDefinition.All.Where(d => d.RuntimeOperator is not null).Select(d => d.Name));

    private static void AssertMirrors<TMirror, TRuntime>()
        where TMirror : struct, Enum
        where TRuntime : struct, Enum
    {
        Assert.Equal(
            Enum.GetValues<TRuntime>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))),
            Enum.GetValues<TMirror>().Select(v => (v.ToString(), Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture))));
    }
}
