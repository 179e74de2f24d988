using Backprop;

namespace LogisticRegression;

/// <summary>Logistic regression: 4 measurements → P(virginica) = σ(w·x + b), no hidden layer, binary cross-entropy.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(4)]
[Dense(1, Activation.Sigmoid)]
public partial class VirginicaNet;
