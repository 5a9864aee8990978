using LipService.Models.Activations;
using static TorchSharp.torch;

namespace LipService.Models.Tests;

public class ActivationTests
{
    [Fact]
    public void GroupSort2SortsAdjacentPairs()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { 3, 1, -2, 5, 0, -1 }).reshape(1, 6);
        var output = ActivationFactory.Create(ActivationKind.GroupSort2, 6).forward(input);
        Assert.Equal(new float[] { 1, 3, -2, 5, -1, 0 }, output.data<float>().ToArray());
    }

    [Fact]
    public void GroupSort2OnChannelsMatchesSortingEachPixelsPairs()
    {
        // GroupSort2 swaps the pairs that are out of order instead of calling sort: values and
        // gradients must be sort's, pair by pair at every pixel.
        using var scope = NewDisposeScope();
        var input = randn(3, 6, 4, 5, generator: new Generator(5)).requires_grad_();
        var reference = input.detach().clone().requires_grad_();
        var upstream = randn(3, 6, 4, 5, generator: new Generator(6));
        var output = new GroupSort(2, onChannels: true).forward(input);
        var (sorted, _) = reference.reshape(3, 3, 2, 20).sort(dim: 2);
        Assert.True(output.equal(sorted.reshape(3, 6, 4, 5)).all().item<bool>());
        (output * upstream).sum().backward();
        (sorted.reshape(3, 6, 4, 5) * upstream).sum().backward();
        Assert.True(input.grad!.equal(reference.grad!).all().item<bool>());
    }

    [Fact]
    public void GroupSort2sGradientMatchesSortOnDenseFeatures()
    {
        using var scope = NewDisposeScope();
        var input = randn(7, 10, generator: new Generator(8)).requires_grad_();
        var reference = input.detach().clone().requires_grad_();
        var upstream = randn(7, 10, generator: new Generator(9));
        var output = ActivationFactory.Create(ActivationKind.GroupSort2, 10).forward(input);
        var (sorted, _) = reference.reshape(7, 5, 2).sort(dim: 2);
        Assert.True(output.equal(sorted.reshape(7, 10)).all().item<bool>());
        (output * upstream).sum().backward();
        (sorted.reshape(7, 10) * upstream).sum().backward();
        Assert.True(input.grad!.equal(reference.grad!).all().item<bool>());
    }

    [Fact]
    public void GroupSort2RoutesATiedPairsGradientWithoutSplittingIt()
    {
        // At a tie the pair is left as it is: each input gets one output's gradient, so the gradient
        // is still a permutation of the upstream one (its norm kept), not the average of the two.
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { 2, 2, 5, 1, -3, -3 }).reshape(1, 6).requires_grad_();
        var upstream = tensor(new float[] { 1, 4, 2, 7, -1, 3 }).reshape(1, 6);
        var output = ActivationFactory.Create(ActivationKind.GroupSort2, 6).forward(input);
        Assert.Equal(new float[] { 2, 2, 1, 5, -3, -3 }, output.data<float>().ToArray());
        (output * upstream).sum().backward();
        Assert.Equal(new float[] { 1, 4, 7, 2, -1, 3 }, input.grad!.data<float>().ToArray());
    }

    [Theory]
    [InlineData(ActivationKind.GroupSort2, 2)]
    [InlineData(ActivationKind.GroupSort, 4)]
    [InlineData(ActivationKind.FullSort, 16)]
    public void SortingActivationsAreOneLipschitzAndGradientNormPreserving(ActivationKind kind, int groupSize)
    {
        using var scope = NewDisposeScope();
        var activation = ActivationFactory.Create(kind, 16, groupSize);
        var x = randn(1000, 16, generator: new Generator(1));
        var y = randn(1000, 16, generator: new Generator(2));
        var ratio = (activation.forward(x) - activation.forward(y)).norm(1) / (x - y).norm(1);
        // A permutation per sample pair can only shrink distances; 1e-5 covers float32 rounding.
        Assert.True(ratio.max().item<float>() <= 1 + 1e-5);

        var input = randn(64, 16, generator: new Generator(3)).requires_grad_();
        var upstream = randn(64, 16, generator: new Generator(4));
        (activation.forward(input) * upstream).sum().backward();
        var gradNorms = input.grad!.norm(1);
        var upstreamNorms = upstream.norm(1);
        Assert.True((gradNorms - upstreamNorms).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void ReluIsNotGradientNormPreserving()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { -1, 2 }).requires_grad_();
        ActivationFactory.Create(ActivationKind.ReLU, 2).forward(input).sum().backward();
        Assert.Equal(1f, input.grad!.norm().item<float>());
        Assert.NotEqual(MathF.Sqrt(2), input.grad!.norm().item<float>());
    }

    [Theory]
    [InlineData("groupsort2", ActivationKind.GroupSort2, 2)]
    [InlineData("GroupSort4", ActivationKind.GroupSort, 4)]
    [InlineData("fullsort", ActivationKind.FullSort, 2)]
    [InlineData("relu", ActivationKind.ReLU, 2)]
    public void NamesParse(string name, ActivationKind kind, int groupSize)
    {
        Assert.True(ActivationName.TryParse(name, out var parsedKind, out int parsedSize));
        Assert.Equal(kind, parsedKind);
        Assert.Equal(groupSize, parsedSize);
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("groupsort1")]
    [InlineData("")]
    public void UnknownNamesAreRejected(string name) => Assert.False(ActivationName.TryParse(name, out _, out _));

    [Fact]
    public void OddWidthIsExplainedForGroupSort2()
        => Assert.Contains("even", ActivationFactory.ExplainIncompatibleWidth(ActivationKind.GroupSort2, 31));
}
