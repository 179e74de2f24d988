namespace Backprop.Tests.Registry;

/// <summary>A network declared in this project, with the architecture the test expects it to have.</summary>
public abstract class NetworkCase(Type type, Architecture architecture)
{
    /// <summary>The C# name of the network class, with its containing types: "Outer.Network".</summary>
    public string Name { get; } = DisplayName(type);

    public Type Type { get; } = type;

    public Architecture Architecture { get; } = architecture;

    public abstract Precision Precision { get; }

    /// <summary>
    /// Creates an instance and passes it to the check for its precision. Pass one generic method twice
    /// (<c>CreateAndRun(Check, Check)</c>) to run it on double and float networks alike.
    /// </summary>
    public abstract void CreateAndRun(Action<INetwork<double>, Architecture> ifDouble, Action<INetwork<float>, Architecture> ifFloat);

    public override string ToString() => Name;

    private static string DisplayName(Type type)
        => type.DeclaringType is { } outer ? $"{DisplayName(outer)}.{type.Name}" : type.Name;
}

/// <summary>A double-precision network: it gets every test, against the reference implementation.</summary>
public sealed class DoubleNetworkCase(Type type, Architecture architecture, Func<INetwork<double>> create)
    : NetworkCase(type, architecture)
{
    public override Precision Precision => Precision.Double;

    public INetwork<double> Create() => create();

    public override void CreateAndRun(Action<INetwork<double>, Architecture> ifDouble, Action<INetwork<float>, Architecture> ifFloat)
        => ifDouble(Create(), Architecture);
}

/// <summary>
/// A float network with the same declaration as a double one, its twin: float results are checked
/// against the twin's, computed from the same (float-rounded) parameters.
/// </summary>
public sealed class FloatNetworkCase(Type type, DoubleNetworkCase twin, Func<INetwork<float>> create)
    : NetworkCase(type, twin.Architecture)
{
    public DoubleNetworkCase Twin { get; } = twin;

    public override Precision Precision => Precision.Single;

    public INetwork<float> Create() => create();

    public override void CreateAndRun(Action<INetwork<double>, Architecture> ifDouble, Action<INetwork<float>, Architecture> ifFloat)
        => ifFloat(Create(), Architecture);
}
