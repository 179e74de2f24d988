// Networks nested in other types: the generator must reopen every containing type as a partial
// declaration. Attribute arguments (Loss.…, Activation.…, Precision.…) bind with the network's own
// generated members in scope, so these also prove that none of them is named Loss, Activation or Precision.
namespace Backprop.Tests.Networks.DeclarationForms;

public partial class NetworkHostClass
{
    [Network(Loss.CrossEntropy, Precision = Precision.Double)]
    [Input(3)]
    [Dense(4, Activation.Tanh)]
    [Dense(2, Activation.Softmax)]
    public partial class NestedInClass;

    public partial struct InnerStruct
    {
        [Network(Loss.MeanSquaredError, Precision = Precision.Double)]
        [Input(2)]
        [Dense(3, Activation.Sigmoid)]
        [Dense(2, Activation.Identity)]
        internal partial class NestedTwoDeep;
    }
}

public partial struct NetworkHostStruct
{
    [Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
    [Input(3)]
    [Dense(3, Activation.LeakyReLU)]
    [Dense(2, Activation.Sigmoid)]
    internal partial class NestedInStruct;
}

public partial record RecordHost(int Value)
{
    [Network(Loss.SumSquaredError, Precision = Precision.Double)]
    [Input(2)]
    [Dense(3, Activation.Tanh)]
    [Dense(1, Activation.Sigmoid)]
    public partial class NestedInRecord;
}

public partial record struct RecordStructHost
{
    [Network(Loss.HalfSumSquaredError, Precision = Precision.Double)]
    [Input(3)]
    [Dense(2, Activation.Softmax)]
    public partial class NestedInRecordStruct;
}

public partial interface IInterfaceHost
{
    [Network(Loss.CrossEntropy, Precision = Precision.Double)]
    [Input(2)]
    [Dense(3, Activation.ReLU)]
    [Dense(3, Activation.Softmax)]
    public partial class NestedInInterface;
}

public static partial class StaticHost
{
    [Network(Loss.BinaryCrossEntropy, Precision = Precision.Double)]
    [Input(3)]
    [Dense(2, Activation.Sigmoid)]
    public sealed partial class SealedNestedInStaticClass;
}
