namespace Backprop.Training.Tests;

/// <summary>4 → 8 tanh → 3 softmax, cross-entropy, float: the Iris shape.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class Classifier;

/// <summary>The same shape in double.</summary>
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class ClassifierDouble;

/// <summary>The same sizes and activations as <see cref="Classifier"/>, another loss.</summary>
[Network(Loss.MeanSquaredError)]
[Input(4)]
[Dense(8, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class ClassifierOtherLoss;

/// <summary>The same sizes and loss as <see cref="Classifier"/>, another hidden activation.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(8, Activation.ReLU)]
[Dense(3, Activation.Softmax)]
public partial class ClassifierOtherActivation;

/// <summary>Another hidden size than <see cref="Classifier"/>.</summary>
[Network(Loss.CrossEntropy)]
[Input(4)]
[Dense(9, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class ClassifierOtherSize;

/// <summary>2 → 4 tanh → 1 sigmoid, binary cross-entropy, float.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class BinaryClassifier;

/// <summary>3 → 5 sigmoid → 2 identity, mean squared error, double.</summary>
[Network(Loss.MeanSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Identity)]
public partial class RegressorDouble;

/// <summary>3 → 5 sigmoid → 2 identity, mean squared error, float.</summary>
[Network(Loss.MeanSquaredError)]
[Input(3)]
[Dense(5, Activation.Sigmoid)]
[Dense(2, Activation.Identity)]
public partial class Regressor;

/// <summary>3 → 6 LeakyReLU → 4 tanh → 2 softmax, half sum of squares, double: a deeper mix.</summary>
[Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
[Input(3)]
[Dense(6, Activation.LeakyReLU)]
[Dense(4, Activation.Tanh)]
[Dense(2, Activation.Softmax)]
public partial class DeepDouble;

/// <summary>40 → 24 tanh → 3 softmax: large enough that the generator loops a layer.</summary>
[Network(Loss.CrossEntropy, Precision = Precision.Double)]
[Input(40)]
[Dense(24, Activation.Tanh)]
[Dense(3, Activation.Softmax)]
public partial class WideDouble;

/// <summary>2 → 4 tanh → 1 sigmoid, binary cross-entropy, double.</summary>
[Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(1, Activation.Sigmoid)]
public partial class BinaryClassifierDouble;

/// <summary>2 → 4 tanh → 3 sigmoid, binary cross-entropy: multi-label, so no one class per row.</summary>
[Network(Loss.BinaryCrossEntropy)]
[Input(2)]
[Dense(4, Activation.Tanh)]
[Dense(3, Activation.Sigmoid)]
public partial class MultiLabel;
