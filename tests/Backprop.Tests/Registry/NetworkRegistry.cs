using Backprop.Tests.Networks;
using Backprop.Tests.Networks.DeclarationForms;
using Backprop.Tests.Networks.DeclarationForms.Block;
using Backprop.Tests.Networks.DeclarationForms.FileScoped;
using static Backprop.Activation;

namespace Backprop.Tests.Registry;

/// <summary>
/// Every network this project declares, each with its architecture written out again here, by hand,
/// so the reference implementation can be built without reading anything the generator produced.
/// RegistryTests checks that no declared network is missing and that the counts agree.
/// </summary>
public static class NetworkRegistry
{
    public static IReadOnlyList<DoubleNetworkCase> DoubleNetworks { get; } =
    [
        // Networks/SumSquaredErrorNetworks.cs
        Double<IdentitySseNoHidden>(Loss.SumSquaredError, 3, Dense(2, Identity)),
        Double<IdentitySseScalar>(Loss.SumSquaredError, 1, Dense(1, Identity)),
        Double<IdentitySseThreeHidden>(Loss.SumSquaredError, 3, Dense(5, Tanh), Dense(4, ReLU), Dense(3, Sigmoid), Dense(1, Identity)),
        Double<SigmoidSseNoHidden>(Loss.SumSquaredError, 4, Dense(3, Sigmoid)),
        Double<SigmoidSseThreeHidden>(Loss.SumSquaredError, 3, Dense(4, LeakyReLU), Dense(5, Identity), Dense(3, Tanh), Dense(2, Sigmoid)),
        Double<TanhSseNoHidden>(Loss.SumSquaredError, 2, Dense(3, Tanh)),
        Double<TanhSseThreeHidden>(Loss.SumSquaredError, 4, Dense(3, Sigmoid), Dense(5, ReLU), Dense(4, LeakyReLU), Dense(2, Tanh)),
        Double<ReLUSseNoHidden>(Loss.SumSquaredError, 3, Dense(4, ReLU)),
        Double<ReLUSseThreeHidden>(Loss.SumSquaredError, 3, Dense(5, Identity), Dense(4, Tanh), Dense(3, LeakyReLU), Dense(3, ReLU)),
        Double<LeakyReLUSseNoHidden>(Loss.SumSquaredError, 5, Dense(2, LeakyReLU)),
        Double<LeakyReLUSseThreeHidden>(Loss.SumSquaredError, 2, Dense(4, ReLU), Dense(4, Sigmoid), Dense(5, Identity), Dense(2, LeakyReLU)),
        Double<SoftmaxSseNoHidden>(Loss.SumSquaredError, 3, Dense(3, Softmax)),
        Double<SoftmaxSseThreeHidden>(Loss.SumSquaredError, 4, Dense(5, Tanh), Dense(3, LeakyReLU), Dense(4, Sigmoid), Dense(4, Softmax)),

        // Networks/HalfSumSquaredErrorNetworks.cs
        Double<IdentityHalfSseNoHidden>(Loss.HalfSumSquaredError, 4, Dense(3, Identity)),
        Double<IdentityHalfSseThreeHidden>(Loss.HalfSumSquaredError, 10, Dense(12, LeakyReLU), Dense(10, Sigmoid), Dense(4, Identity), Dense(2, Identity)),
        Double<SigmoidHalfSseNoHidden>(Loss.HalfSumSquaredError, 3, Dense(1, Sigmoid)),
        Double<SigmoidHalfSseThreeHidden>(Loss.HalfSumSquaredError, 4, Dense(3, ReLU), Dense(4, Tanh), Dense(5, LeakyReLU), Dense(3, Sigmoid)),
        Double<TanhHalfSseNoHidden>(Loss.HalfSumSquaredError, 5, Dense(4, Tanh)),
        Double<TanhHalfSseThreeHidden>(Loss.HalfSumSquaredError, 3, Dense(4, Identity), Dense(3, Sigmoid), Dense(4, ReLU), Dense(3, Tanh)),
        Double<ReLUHalfSseNoHidden>(Loss.HalfSumSquaredError, 2, Dense(2, ReLU)),
        Double<ReLUHalfSseThreeHidden>(Loss.HalfSumSquaredError, 4, Dense(5, Sigmoid), Dense(5, LeakyReLU), Dense(3, Tanh), Dense(2, ReLU)),
        Double<LeakyReLUHalfSseNoHidden>(Loss.HalfSumSquaredError, 3, Dense(3, LeakyReLU)),
        Double<LeakyReLUHalfSseThreeHidden>(Loss.HalfSumSquaredError, 3, Dense(3, Tanh), Dense(4, Identity), Dense(4, ReLU), Dense(4, LeakyReLU)),
        Double<SoftmaxHalfSseNoHidden>(Loss.HalfSumSquaredError, 4, Dense(2, Softmax)),
        Double<SoftmaxHalfSseThreeHidden>(Loss.HalfSumSquaredError, 3, Dense(4, ReLU), Dense(5, Sigmoid), Dense(3, Identity), Dense(3, Softmax)),

        // Networks/MeanSquaredErrorNetworks.cs
        Double<IdentityMseNoHidden>(Loss.MeanSquaredError, 2, Dense(4, Identity)),
        Double<IdentityMseThreeHidden>(Loss.MeanSquaredError, 4, Dense(4, Sigmoid), Dense(3, LeakyReLU), Dense(5, ReLU), Dense(3, Identity)),
        Double<SigmoidMseNoHidden>(Loss.MeanSquaredError, 5, Dense(2, Sigmoid)),
        Double<SigmoidMseThreeHidden>(Loss.MeanSquaredError, 3, Dense(5, Tanh), Dense(5, Identity), Dense(4, ReLU), Dense(4, Sigmoid)),
        Double<TanhMseNoHidden>(Loss.MeanSquaredError, 3, Dense(1, Tanh)),
        Double<TanhMseThreeHidden>(Loss.MeanSquaredError, 2, Dense(4, LeakyReLU), Dense(3, Tanh), Dense(3, Sigmoid), Dense(3, Tanh)),
        Double<ReLUMseNoHidden>(Loss.MeanSquaredError, 4, Dense(3, ReLU)),
        Double<ReLUMseThreeHidden>(Loss.MeanSquaredError, 3, Dense(4, Sigmoid), Dense(4, ReLU), Dense(5, Tanh), Dense(4, ReLU)),
        Double<LeakyReLUMseNoHidden>(Loss.MeanSquaredError, 3, Dense(4, LeakyReLU)),
        Double<LeakyReLUMseThreeHidden>(Loss.MeanSquaredError, 5, Dense(3, Identity), Dense(5, LeakyReLU), Dense(4, Sigmoid), Dense(3, LeakyReLU)),
        Double<SoftmaxMseNoHidden>(Loss.MeanSquaredError, 3, Dense(10, Softmax)),
        Double<SoftmaxMseThreeHidden>(Loss.MeanSquaredError, 4, Dense(3, LeakyReLU), Dense(4, Tanh), Dense(5, ReLU), Dense(2, Softmax)),

        // Networks/CrossEntropyNetworks.cs
        Double<SoftmaxCrossEntropyNoHidden>(Loss.CrossEntropy, 6, Dense(10, Softmax)),
        Double<SoftmaxCrossEntropyOneHidden>(Loss.CrossEntropy, 4, Dense(8, Sigmoid), Dense(3, Softmax)),
        Double<SoftmaxCrossEntropyThreeHidden>(Loss.CrossEntropy, 10, Dense(12, Tanh), Dense(9, ReLU), Dense(6, LeakyReLU), Dense(4, Softmax)),

        // Networks/BinaryCrossEntropyNetworks.cs and Networks/XorNetworks.cs
        Double<SigmoidBceNoHidden>(Loss.BinaryCrossEntropy, 4, Dense(1, Sigmoid)),
        Double<SigmoidBceTwoHidden>(Loss.BinaryCrossEntropy, 6, Dense(5, LeakyReLU), Dense(11, Sigmoid), Dense(2, Sigmoid)),
        Double<SigmoidBceThreeHidden>(Loss.BinaryCrossEntropy, 3, Dense(5, ReLU), Dense(4, Identity), Dense(3, Tanh), Dense(3, Sigmoid)),
        Double<XorNetwork>(Loss.BinaryCrossEntropy, 2, Dense(4, Tanh), Dense(1, Sigmoid)),

        // Networks/KernelNetworks.cs
        Double<KernelCrossEntropy48To24To4>(Loss.CrossEntropy, 48, Dense(24, ReLU), Dense(4, Softmax)),
        Double<KernelCrossEntropy784To128To10>(Loss.CrossEntropy, 784, Dense(128, ReLU), Dense(10, Softmax)),
        Double<KernelBinaryCrossEntropy300To64To12>(Loss.BinaryCrossEntropy, 300, Dense(64, Tanh), Dense(12, Sigmoid)),
        Double<KernelSoftmaxMse300To64To12>(Loss.MeanSquaredError, 300, Dense(64, LeakyReLU), Dense(12, Softmax)),
        Double<KernelTanhHalfSse300To64To12>(Loss.HalfSumSquaredError, 300, Dense(64, Sigmoid), Dense(12, Tanh)),
        Double<Kernel4To6To8To200To3>(Loss.SumSquaredError, 4, Dense(6, Tanh), Dense(8, Sigmoid), Dense(200, ReLU), Dense(3, Identity)),
        // Networks/RegisterNetworks.cs
        Double<RegisterCrossEntropy8To8To4To5>(Loss.CrossEntropy, 8, Dense(8, ReLU), Dense(4, LeakyReLU), Dense(5, Softmax)),
        Double<RegisterCrossEntropy16To16To16To4>(Loss.CrossEntropy, 16, Dense(16, ReLU), Dense(16, ReLU), Dense(4, Softmax)),
        Double<RegisterSigmoidBce4To8To2>(Loss.BinaryCrossEntropy, 4, Dense(8, LeakyReLU), Dense(2, Sigmoid)),
        Double<RegisterTanhMse8To4To4To5>(Loss.MeanSquaredError, 8, Dense(4, Identity), Dense(4, ReLU), Dense(5, Tanh)),
        Double<RegisterSoftmaxHalfSse4To8To6>(Loss.HalfSumSquaredError, 4, Dense(8, LeakyReLU), Dense(6, Softmax)),
        Double<RegisterReLUSse8To4>(Loss.SumSquaredError, 8, Dense(4, ReLU)),
        Double<RegisterTanhCrossEntropy4To8To3>(Loss.CrossEntropy, 4, Dense(8, Tanh), Dense(3, Softmax)),
        Double<RegisterIdentityMse4To8To3>(Loss.MeanSquaredError, 4, Dense(8, Tanh), Dense(3, Identity)),
        Double<RegisterSigmoidBce8To4To4>(Loss.BinaryCrossEntropy, 8, Dense(4, Sigmoid), Dense(4, Sigmoid)),
        Double<RegisterSoftmaxMse8To4To3>(Loss.MeanSquaredError, 8, Dense(4, ReLU), Dense(3, Softmax)),
        Double<RegisterCrossEntropy4To8To10>(Loss.CrossEntropy, 4, Dense(8, Tanh), Dense(10, Softmax)),

        Double<KernelRentedScratch8To1100To2>(Loss.BinaryCrossEntropy, 8, Dense(1100, Identity), Dense(2, Sigmoid)),

        // Networks/SmoothActivationNetworks.cs
        Double<GELUSseNoHidden>(Loss.SumSquaredError, 3, Dense(2, GELU)),
        Double<GELUHalfSseThreeHidden>(Loss.HalfSumSquaredError, 3, Dense(4, SiLU), Dense(5, ELU), Dense(4, Softplus), Dense(3, GELU)),
        Double<GELUMse6To8To4>(Loss.MeanSquaredError, 6, Dense(8, Tanh), Dense(4, GELU)),
        Double<SiLUSseThreeHidden>(Loss.SumSquaredError, 2, Dense(4, GELU), Dense(3, ReLU), Dense(5, ELU), Dense(2, SiLU)),
        Double<SiLUHalfSseNoHidden>(Loss.HalfSumSquaredError, 4, Dense(3, SiLU)),
        Double<SiLUMse5To6To4>(Loss.MeanSquaredError, 5, Dense(6, Softplus), Dense(4, SiLU)),
        Double<ELUSse12To6>(Loss.SumSquaredError, 12, Dense(6, ELU)),
        Double<ELUHalfSseNoHidden>(Loss.HalfSumSquaredError, 2, Dense(3, ELU)),
        Double<ELUMseThreeHidden>(Loss.MeanSquaredError, 3, Dense(5, Softplus), Dense(4, GELU), Dense(4, SiLU), Dense(3, ELU)),
        Double<SoftplusSseThreeHidden>(Loss.SumSquaredError, 3, Dense(4, ELU), Dense(4, SiLU), Dense(5, GELU), Dense(2, Softplus)),
        Double<SoftplusHalfSse6To5To4>(Loss.HalfSumSquaredError, 6, Dense(5, GELU), Dense(4, Softplus)),
        Double<SoftplusMseNoHidden>(Loss.MeanSquaredError, 1, Dense(1, Softplus)),

        // Networks/HuberNetworks.cs
        Double<IdentityHuberNoHidden>(Loss.Huber, 3, Dense(2, Identity)),
        Double<SigmoidHuberThreeHidden>(Loss.Huber, 4, Dense(5, ELU), Dense(3, Tanh), Dense(4, GELU), Dense(3, Sigmoid)),
        Double<TanhHuber6To8To5>(Loss.Huber, 6, Dense(8, SiLU), Dense(5, Tanh)),
        Double<ReLUHuber3To4To2>(Loss.Huber, 3, Dense(4, LeakyReLU), Dense(2, ReLU)),
        Double<LeakyReLUHuber8To4To4>(Loss.Huber, 8, Dense(4, Softplus), Dense(4, LeakyReLU)),
        Double<SoftmaxHuber4To8To3>(Loss.Huber, 4, Dense(8, GELU), Dense(3, Softmax)),
        Double<GELUHuber4To8To4>(Loss.Huber, 4, Dense(8, ELU), Dense(4, GELU)),
        Double<SiLUHuber16To16To5>(Loss.Huber, 16, Dense(16, GELU), Dense(5, SiLU)),
        Double<ELUHuber8To8To3>(Loss.Huber, 8, Dense(8, SiLU), Dense(3, ELU)),
        Double<SoftplusHuber4To4To4>(Loss.Huber, 4, Dense(4, SiLU), Dense(4, Softplus)),

        // Networks/MeanAbsoluteErrorNetworks.cs
        Double<IdentityMae8To8To3>(Loss.MeanAbsoluteError, 8, Dense(8, Softplus), Dense(3, Identity)),
        Double<SigmoidMaeNoHidden>(Loss.MeanAbsoluteError, 2, Dense(1, Sigmoid)),
        Double<TanhMaeThreeHidden>(Loss.MeanAbsoluteError, 3, Dense(4, Softplus), Dense(4, SiLU), Dense(3, GELU), Dense(2, Tanh)),
        Double<ReLUMae5To6To4>(Loss.MeanAbsoluteError, 5, Dense(6, Tanh), Dense(4, ReLU)),
        Double<LeakyReLUMaeNoHidden>(Loss.MeanAbsoluteError, 3, Dense(3, LeakyReLU)),
        Double<SoftmaxMae6To5To4>(Loss.MeanAbsoluteError, 6, Dense(5, ELU), Dense(4, Softmax)),
        Double<GELUMae8To8To4To5>(Loss.MeanAbsoluteError, 8, Dense(8, Softplus), Dense(4, ELU), Dense(5, GELU)),
        Double<SiLUMae4To8To3>(Loss.MeanAbsoluteError, 4, Dense(8, Identity), Dense(3, SiLU)),
        Double<ELUMae4To4>(Loss.MeanAbsoluteError, 4, Dense(4, ELU)),
        Double<SoftplusMae12To4>(Loss.MeanAbsoluteError, 12, Dense(4, Softplus)),

        // Networks/DeclarationForms
        Double<NetworkHostClass.NestedInClass>(Loss.CrossEntropy, 3, Dense(4, Tanh), Dense(2, Softmax)),
        Double<NetworkHostClass.InnerStruct.NestedTwoDeep>(Loss.MeanSquaredError, 2, Dense(3, Sigmoid), Dense(2, Identity)),
        Double<NetworkHostStruct.NestedInStruct>(Loss.BinaryCrossEntropy, 3, Dense(3, LeakyReLU), Dense(2, Sigmoid)),
        Double<FileScopedNamespaceNetwork>(Loss.MeanSquaredError, 2, Dense(3, Sigmoid), Dense(2, Tanh)),
        Double<BlockNamespaceNetwork>(Loss.HalfSumSquaredError, 3, Dense(4, ReLU), Dense(2, ReLU)),
        Double<GlobalNamespaceNetwork>(Loss.SumSquaredError, 3, Dense(2, LeakyReLU), Dense(2, Identity)),
        Double<RecordHost.NestedInRecord>(Loss.SumSquaredError, 2, Dense(3, Tanh), Dense(1, Sigmoid)),
        Double<RecordStructHost.NestedInRecordStruct>(Loss.HalfSumSquaredError, 3, Dense(2, Softmax)),
        Double<IInterfaceHost.NestedInInterface>(Loss.CrossEntropy, 2, Dense(3, ReLU), Dense(3, Softmax)),
        Double<StaticHost.SealedNestedInStaticClass>(Loss.BinaryCrossEntropy, 3, Dense(2, Sigmoid)),
        Double<NetworkWithUserMembers>(Loss.MeanSquaredError, 2, Dense(3, LeakyReLU), Dense(2, Identity)),
    ];

    // Declared after DoubleNetworks, whose cases the twins look up.
    public static IReadOnlyList<FloatNetworkCase> FloatNetworks { get; } =
    [
        Float<IdentitySseThreeHiddenFloat, IdentitySseThreeHidden>(),
        Float<SigmoidSseThreeHiddenFloat, SigmoidSseThreeHidden>(),
        Float<TanhSseThreeHiddenFloat, TanhSseThreeHidden>(),
        Float<ReLUSseThreeHiddenFloat, ReLUSseThreeHidden>(),
        Float<LeakyReLUSseThreeHiddenFloat, LeakyReLUSseThreeHidden>(),
        Float<SoftmaxSseThreeHiddenFloat, SoftmaxSseThreeHidden>(),
        Float<IdentityHalfSseThreeHiddenFloat, IdentityHalfSseThreeHidden>(),
        Float<SigmoidHalfSseThreeHiddenFloat, SigmoidHalfSseThreeHidden>(),
        Float<TanhHalfSseThreeHiddenFloat, TanhHalfSseThreeHidden>(),
        Float<ReLUHalfSseThreeHiddenFloat, ReLUHalfSseThreeHidden>(),
        Float<LeakyReLUHalfSseThreeHiddenFloat, LeakyReLUHalfSseThreeHidden>(),
        Float<SoftmaxHalfSseThreeHiddenFloat, SoftmaxHalfSseThreeHidden>(),
        Float<IdentityMseThreeHiddenFloat, IdentityMseThreeHidden>(),
        Float<SigmoidMseThreeHiddenFloat, SigmoidMseThreeHidden>(),
        Float<TanhMseThreeHiddenFloat, TanhMseThreeHidden>(),
        Float<ReLUMseThreeHiddenFloat, ReLUMseThreeHidden>(),
        Float<LeakyReLUMseThreeHiddenFloat, LeakyReLUMseThreeHidden>(),
        Float<SoftmaxMseThreeHiddenFloat, SoftmaxMseThreeHidden>(),
        Float<SoftmaxCrossEntropyThreeHiddenFloat, SoftmaxCrossEntropyThreeHidden>(),
        Float<SigmoidBceThreeHiddenFloat, SigmoidBceThreeHidden>(),
        Float<XorNetworkFloat, XorNetwork>(),
        Float<KernelCrossEntropy48To24To4Float, KernelCrossEntropy48To24To4>(),
        Float<KernelCrossEntropy784To128To10Float, KernelCrossEntropy784To128To10>(),
        Float<RegisterCrossEntropy8To8To4To5Float, RegisterCrossEntropy8To8To4To5>(),
        Float<RegisterCrossEntropy16To16To16To4Float, RegisterCrossEntropy16To16To16To4>(),
        Float<RegisterSigmoidBce4To8To2Float, RegisterSigmoidBce4To8To2>(),
        Float<RegisterTanhMse8To4To4To5Float, RegisterTanhMse8To4To4To5>(),
        Float<RegisterTanhCrossEntropy4To8To3Float, RegisterTanhCrossEntropy4To8To3>(),
        Float<RegisterIdentityMse4To8To3Float, RegisterIdentityMse4To8To3>(),
        Float<RegisterSigmoidBce8To4To4Float, RegisterSigmoidBce8To4To4>(),
        Float<RegisterSoftmaxMse8To4To3Float, RegisterSoftmaxMse8To4To3>(),
        Float<RegisterCrossEntropy4To8To10Float, RegisterCrossEntropy4To8To10>(),

        // Networks/SmoothActivationNetworks.cs, HuberNetworks.cs and MeanAbsoluteErrorNetworks.cs
        Float<GELUHalfSseThreeHiddenFloat, GELUHalfSseThreeHidden>(),
        Float<SoftplusSseThreeHiddenFloat, SoftplusSseThreeHidden>(),
        Float<TanhHuber6To8To5Float, TanhHuber6To8To5>(),
        Float<LeakyReLUHuber8To4To4Float, LeakyReLUHuber8To4To4>(),
        Float<SoftmaxHuber4To8To3Float, SoftmaxHuber4To8To3>(),
        Float<GELUHuber4To8To4Float, GELUHuber4To8To4>(),
        Float<SiLUHuber16To16To5Float, SiLUHuber16To16To5>(),
        Float<ELUHuber8To8To3Float, ELUHuber8To8To3>(),
        Float<SoftplusHuber4To4To4Float, SoftplusHuber4To4To4>(),
        Float<IdentityMae8To8To3Float, IdentityMae8To8To3>(),
        Float<SoftmaxMae6To5To4Float, SoftmaxMae6To5To4>(),
        Float<ELUMae4To4Float, ELUMae4To4>(),
    ];

    public static IEnumerable<NetworkCase> AllNetworks => DoubleNetworks.Concat<NetworkCase>(FloatNetworks);

    /// <summary>Theory data: the name of every double network.</summary>
    public static TheoryData<string> DoubleNames => new(DoubleNetworks.Select(c => c.Name));

    /// <summary>Theory data: the name of every float network.</summary>
    public static TheoryData<string> FloatNames => new(FloatNetworks.Select(c => c.Name));

    /// <summary>Theory data: the name of every network, double and float.</summary>
    public static TheoryData<string> AllNames => new(AllNetworks.Select(c => c.Name));

    public static NetworkCase Get(string name)
        => AllNetworks.SingleOrDefault(c => c.Name == name)
           ?? throw new ArgumentException($"No network named '{name}' is registered.", nameof(name));

    public static DoubleNetworkCase GetDouble(string name)
        => Get(name) as DoubleNetworkCase ?? throw new ArgumentException($"'{name}' is not a double network.", nameof(name));

    public static FloatNetworkCase GetFloat(string name)
        => Get(name) as FloatNetworkCase ?? throw new ArgumentException($"'{name}' is not a float network.", nameof(name));

    private static Layer Dense(int size, Activation activation) => new(size, activation);

    private static DoubleNetworkCase Double<TNetwork>(Loss loss, int inputSize, params Layer[] layers)
        where TNetwork : INetwork<double>, new()
        => new(typeof(TNetwork), new Architecture(loss, inputSize, layers), static () => new TNetwork());

    private static FloatNetworkCase Float<TNetwork, TDoubleTwin>()
        where TNetwork : INetwork<float>, new()
        where TDoubleTwin : INetwork<double>
        => new(typeof(TNetwork), DoubleNetworks.Single(c => c.Type == typeof(TDoubleTwin)), static () => new TNetwork());
}
