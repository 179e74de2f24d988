using Backprop.Generator.Tests.Infrastructure;
using Backprop.Generator.Weights;
using Backprop.Interop.Formats;

namespace Backprop.Generator.Tests;

/// <summary>The generator's reader of .bpn files reads both format versions NetworkSerializer writes.</summary>
public sealed class BackpropModelFileTests
{
    private static readonly (int Size, Activation Activation)[] Layers = [(8, Activation.Tanh), (3, Activation.Softmax)];

    [Fact]
    public void A_version_2_file_with_metadata_reads_the_same_parameters_as_version_1()
    {
        float[] parameters = ModelFiles.Parameters<float>(ModelFiles.ParameterCount(4, Layers));
        byte[] plain = ModelFiles.ModelFile(4, Layers, Loss.CrossEntropy, parameters);
        byte[] withMetadata = ModelFiles.ModelFile(4, Layers, Loss.CrossEntropy, parameters, new Dictionary<string, string> { ["classes"] = "setosa,versicolor,virginica" });
        Assert.Equal((1, 2), (plain[8], withMetadata[8]));

        BackpropModelFile one = BackpropModelFile.Read(plain, "v1");
        BackpropModelFile two = BackpropModelFile.Read(withMetadata, "v2");

        Assert.Equal(one.Parameters, two.Parameters);
        Assert.Equal(one.Architecture, two.Architecture);
        Assert.Equal(parameters.Select(p => (double)p), two.Parameters);
    }

    [Fact]
    public void A_version_2_file_with_a_metadata_length_past_its_end_is_refused()
    {
        byte[] file = ModelFiles.ModelFile(4, Layers, Loss.CrossEntropy, ModelFiles.Parameters<float>(67), new Dictionary<string, string> { ["k"] = "v" });
        int architectureLength = BitConverter.ToInt32(file, 12);
        BitConverter.GetBytes(1_000_000).CopyTo(file, 20 + architectureLength);

        var exception = Assert.Throws<InvalidModelException>(() => BackpropModelFile.Read(file, "The model file 'x.bpn'"));

        Assert.Equal(ModelProblem.Truncated, exception.Problem);
        Assert.Contains("in the metadata", exception.Message, StringComparison.Ordinal);
    }
}
