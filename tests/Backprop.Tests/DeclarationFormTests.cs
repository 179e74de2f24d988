using System.Reflection;
using Backprop.Tests.Networks.DeclarationForms;
using Backprop.Tests.Networks.DeclarationForms.Block;
using Backprop.Tests.Networks.DeclarationForms.FileScoped;
using Backprop.Tests.Registry;

namespace Backprop.Tests;

/// <summary>
/// The declarations in Networks/DeclarationForms compile (the project builds) and run (they are registered,
/// so every other test runs on them); these tests pin down that each really has the form it stands for.
/// </summary>
public class DeclarationFormTests
{
    /// <summary>Attribute arguments bind with the network's own members in scope: none may shadow these.</summary>
    private static readonly string[] DeclarationNames = ["Loss", "Activation", "Precision", "Network", "Input", "Dense"];

    [Fact]
    public void A_network_nested_in_a_partial_class_is_public_and_generated()
    {
        Type type = typeof(NetworkHostClass.NestedInClass);

        Assert.Equal(typeof(NetworkHostClass), type.DeclaringType);
        Assert.True(type.DeclaringType!.IsClass);
        Assert.True(type.IsNestedPublic);
        Assert.IsAssignableFrom<INetwork<double>>(new NetworkHostClass.NestedInClass());
    }

    [Fact]
    public void A_network_nested_in_a_partial_struct_is_internal_and_generated()
    {
        Type type = typeof(NetworkHostStruct.NestedInStruct);

        Assert.True(type.DeclaringType!.IsValueType);
        Assert.True(type.IsNestedAssembly);
        Assert.IsAssignableFrom<INetwork<double>>(new NetworkHostStruct.NestedInStruct());
    }

    [Fact]
    public void A_network_nested_two_deep_in_a_struct_in_a_class_is_generated()
    {
        Type type = typeof(NetworkHostClass.InnerStruct.NestedTwoDeep);

        Assert.True(type.DeclaringType!.IsValueType);
        Assert.Equal(typeof(NetworkHostClass), type.DeclaringType.DeclaringType);
        Assert.IsAssignableFrom<INetwork<double>>(new NetworkHostClass.InnerStruct.NestedTwoDeep());
    }

    [Fact]
    public void Networks_in_file_scoped_block_and_global_namespaces_are_generated()
    {
        Assert.Equal("Backprop.Tests.Networks.DeclarationForms.FileScoped", typeof(FileScopedNamespaceNetwork).Namespace);
        Assert.True(typeof(FileScopedNamespaceNetwork).IsPublic);
        Assert.Equal("Backprop.Tests.Networks.DeclarationForms.Block", typeof(BlockNamespaceNetwork).Namespace);
        Assert.True(typeof(BlockNamespaceNetwork).IsNotPublic);
        Assert.Null(typeof(GlobalNamespaceNetwork).Namespace);
        Assert.True(typeof(GlobalNamespaceNetwork).IsPublic);
        Assert.IsAssignableFrom<INetwork<double>>(new FileScopedNamespaceNetwork());
        Assert.IsAssignableFrom<INetwork<double>>(new BlockNamespaceNetwork());
        Assert.IsAssignableFrom<INetwork<double>>(new GlobalNamespaceNetwork());
    }

    [Fact]
    public void Networks_nested_in_a_record_a_record_struct_an_interface_and_a_static_class_are_generated()
    {
        Assert.True(typeof(RecordHost).GetMethod("<Clone>$") is not null, "RecordHost is not a record.");
        Assert.True(typeof(RecordStructHost).IsValueType);
        Assert.True(typeof(IInterfaceHost).IsInterface);
        Assert.True(typeof(StaticHost).IsAbstract && typeof(StaticHost).IsSealed, "StaticHost is not static.");
        Assert.True(typeof(StaticHost.SealedNestedInStaticClass).IsSealed);
        Assert.IsAssignableFrom<INetwork<double>>(new RecordHost.NestedInRecord());
        Assert.IsAssignableFrom<INetwork<double>>(new RecordStructHost.NestedInRecordStruct());
        Assert.IsAssignableFrom<INetwork<double>>(new IInterfaceHost.NestedInInterface());
        Assert.IsAssignableFrom<INetwork<double>>(new StaticHost.SealedNestedInStaticClass());
    }

    [Fact]
    public void The_users_own_members_work_beside_the_generated_ones()
    {
        var network = new NetworkWithUserMembers();
        var expected = new double[NetworkWithUserMembers.OutputCount];
        network.Forward([0.4, 0.4], expected);

        Assert.Equal(expected, network.Forward(0.4));
    }

    [Theory]
    [MemberData(nameof(NetworkRegistry.AllNames), MemberType = typeof(NetworkRegistry))]
    public void No_generated_member_is_named_like_a_declaration_type(string name)
    {
        const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        Type type = NetworkRegistry.Get(name).Type;

        Assert.Empty(type.GetMembers(everything).Select(m => m.Name).Intersect(DeclarationNames));
    }
}
