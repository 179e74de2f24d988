namespace Backprop.Generator.Tests;

/// <summary>
/// The declarations whose generated source is snapshotted: name → user source. Shared by the snapshot
/// tests and by the test project pinned to the oldest supported compiler, which must produce the same text.
/// </summary>
public static class SnapshotCases
{
    public static TheoryData<string, string> All => new()
    {
        {
            "Sigmoid_SumSquaredError_3_4_2",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError)]
            [Input(3)]
            [Dense(4, Activation.Sigmoid)]
            [Dense(2, Activation.Sigmoid)]
            public partial class SigmoidNet;
            """
        },
        {
            "LogisticRegression_BinaryCrossEntropy",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.BinaryCrossEntropy)]
            [Input(4)]
            [Dense(1, Activation.Sigmoid)]
            public partial class LogisticRegression;
            """
        },
        {
            "ReLU_Tanh_Softmax_CrossEntropy_4_6_5_3",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(4)]
            [Dense(6, Activation.ReLU)]
            [Dense(5, Activation.Tanh)]
            [Dense(3, Activation.Softmax)]
            public partial class Classifier;
            """
        },
        {
            "Identity_MeanSquaredError_Regression",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.MeanSquaredError)]
            [Input(1)]
            [Dense(8, Activation.Tanh)]
            [Dense(2, Activation.Identity)]
            internal partial class Regression;
            """
        },
        {
            "Double_LeakyReLU_Softmax_HalfSumSquaredError",
            """
            using Backprop;

            namespace Demo
            {
                [Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
                [Input(3)]
                [Dense(4, Activation.LeakyReLU)]
                [Dense(2, Activation.Softmax)]
                public partial class DoubleNet;
            }
            """
        },
        {
            "Kernels_ReLU_Softmax_40_24_3",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(40)]
            [Dense(24, Activation.ReLU)]
            [Dense(3, Activation.Softmax)]
            public partial class MixedNet;
            """
        },
        {
            // Every layer's input fills one vector: Forward and TrainStep also run in registers. Square
            // 512-bit layers use the transpose-and-add tree; the 4-neuron output layer is one block.
            "Registers_16_16_16_4",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(16)]
            [Dense(16, Activation.ReLU)]
            [Dense(16, Activation.ReLU)]
            [Dense(4, Activation.Softmax)]
            public partial class SmallClassifier;
            """
        },
        {
            // The register form in double: 512- then 256-bit inputs, an identity hidden layer (no derivative
            // factor), a sigmoid one (z through a buffer for the span activation), blocks of two rows joined,
            // and an output layer of two blocks and one row over.
            "Registers_Double_8_4_4_5_Identity_Sigmoid_Tanh",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.MeanSquaredError, Precision = Precision.Double)]
            [Input(8)]
            [Dense(4, Activation.Identity)]
            [Dense(4, Activation.Sigmoid)]
            [Dense(5, Activation.Tanh)]
            public partial class SmallRegression;
            """
        },
        {
            "Kernels_784_128_10",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(784)]
            [Dense(128, Activation.ReLU)]
            [Dense(10, Activation.Softmax)]
            public partial class MnistNet;
            """
        },
        {
            "Nested_GlobalNamespace_Sigmoid_MeanSquaredError",
            """
            using Backprop;

            public partial class Outer
            {
                internal partial struct Inner
                {
                    [Network(Loss.MeanSquaredError)]
                    [Input(2)]
                    [Dense(2, Activation.Sigmoid)]
                    private partial class NestedNet;
                }
            }
            """
        },
        {
            "Huber_ReLU_Identity_Registers_4_8_2",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.Huber)]
            [Input(4)]
            [Dense(8, Activation.ReLU)]
            [Dense(2, Activation.Identity)]
            public partial class RobustRegression;
            """
        },
        {
            "MeanAbsoluteError_Sigmoid_Softmax_3_5_3",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.MeanAbsoluteError)]
            [Input(3)]
            [Dense(5, Activation.Sigmoid)]
            [Dense(3, Activation.Softmax)]
            public partial class AbsoluteErrorClassifier;
            """
        },
        {
            "GELU_Softmax_CrossEntropy_Registers_8_8_3",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.CrossEntropy)]
            [Input(8)]
            [Dense(8, Activation.GELU)]
            [Dense(3, Activation.Softmax)]
            public partial class GeluClassifier;
            """
        },
        {
            "Tanh_SiLU_SumSquaredError_Unrolled_3_4_2",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.SumSquaredError)]
            [Input(3)]
            [Dense(4, Activation.Tanh)]
            [Dense(2, Activation.SiLU)]
            public partial class SiluNet;
            """
        },
        {
            "Double_ELU_Identity_MeanSquaredError_12_8_1",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.MeanSquaredError, Precision = Precision.Double)]
            [Input(12)]
            [Dense(8, Activation.ELU)]
            [Dense(1, Activation.Identity)]
            public partial class EluRegression;
            """
        },
        {
            "Softplus_HalfSumSquaredError_Kernels_6_10_4",
            """
            using Backprop;

            namespace Demo;

            [Network(Loss.HalfSumSquaredError)]
            [Input(6)]
            [Dense(10, Activation.Softplus)]
            [Dense(4, Activation.Softplus)]
            public partial class SoftplusNet;
            """
        },
    };
}
