// The activations GELU, SiLU, ELU (α = 1) and softplus as the output activation with each squared error, one
// network of each pair at least: without a hidden layer, with three, and in the kernel form (vectorised layers
// whose inputs fill no vector exactly); their hidden layers are the new activations too. The register form of
// these activations is in HuberNetworks.cs and MeanAbsoluteErrorNetworks.cs. Float twins of two deep ones
// (see FloatPrecisionTests).
namespace Backprop.Tests.Networks;

// GELU: one unrolled layer.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(2, Activation.GELU)]
public partial class GELUSseNoHidden;

// Three unrolled and vectorised hidden layers of the other new activations (4·5 and 5·4 weights are vectorised,
// the rest unrolled); the float twin checks them in float.
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.SiLU)]
[Dense(5, Activation.ELU)]
[Dense(4, Activation.Softplus)]
[Dense(3, Activation.GELU)]
public partial class GELUHalfSseThreeHidden;

[Network(Loss.HalfSumSquaredError)]
[Input(3)]
[Dense(4, Activation.SiLU)]
[Dense(5, Activation.ELU)]
[Dense(4, Activation.Softplus)]
[Dense(3, Activation.GELU)]
public partial class GELUHalfSseThreeHiddenFloat;

// The kernel form: six inputs fill no vector exactly, so both vectorised layers run the span kernels.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(6)]
[Dense(8, Activation.Tanh)]
[Dense(4, Activation.GELU)]
public partial class GELUMse6To8To4;

// SiLU after GELU, ReLU and ELU hidden layers, all unrolled.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Activation.GELU)]
[Dense(3, Activation.ReLU)]
[Dense(5, Activation.ELU)]
[Dense(2, Activation.SiLU)]
public partial class SiLUSseThreeHidden;

// Twelve weights: unrolled although there are four inputs.
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(4)]
[Dense(3, Activation.SiLU)]
public partial class SiLUHalfSseNoHidden;

// The kernel form, after a softplus hidden layer.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(5)]
[Dense(6, Activation.Softplus)]
[Dense(4, Activation.SiLU)]
public partial class SiLUMse5To6To4;

// ELU: one vectorised layer in the kernel form (twelve inputs fill no vector exactly).
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(12)]
[Dense(6, Activation.ELU)]
public partial class ELUSse12To6;

// One unrolled layer.
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(2)]
[Dense(3, Activation.ELU)]
public partial class ELUHalfSseNoHidden;

// After softplus, GELU and SiLU hidden layers.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Softplus)]
[Dense(4, Activation.GELU)]
[Dense(4, Activation.SiLU)]
[Dense(3, Activation.ELU)]
public partial class ELUMseThreeHidden;

// Softplus after ELU, SiLU and GELU hidden layers; the float twin checks them in float.
[Network(Loss.SumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(4, Activation.ELU)]
[Dense(4, Activation.SiLU)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.Softplus)]
public partial class SoftplusSseThreeHidden;

[Network(Loss.SumSquaredError)]
[Input(3)]
[Dense(4, Activation.ELU)]
[Dense(4, Activation.SiLU)]
[Dense(5, Activation.GELU)]
[Dense(2, Activation.Softplus)]
public partial class SoftplusSseThreeHiddenFloat;

// The kernel form, after a GELU hidden layer.
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(6)]
[Dense(5, Activation.GELU)]
[Dense(4, Activation.Softplus)]
public partial class SoftplusHalfSse6To5To4;

// One input, one output.
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(1)]
[Dense(1, Activation.Softplus)]
public partial class SoftplusMseNoHidden;
