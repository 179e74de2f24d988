using Backprop;

namespace Iris;

/// <summary>4 measurements → 8 tanh → 3 species (softmax), trained with cross-entropy.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class IrisNet;
