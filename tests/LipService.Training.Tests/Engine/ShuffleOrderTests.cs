using LipService.Training.Engine;

namespace LipService.Training.Tests.Engine;

public class ShuffleOrderTests
{
    [Fact]
    public void IsAPermutationThatDependsOnlyOnSeedAndEpoch()
    {
        var a = ShuffleOrder.Permutation(42, 3, 1000);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), a.Order());
        Assert.Equal(a, ShuffleOrder.Permutation(42, 3, 1000));
        Assert.NotEqual(a, ShuffleOrder.Permutation(42, 4, 1000));
        Assert.NotEqual(a, ShuffleOrder.Permutation(43, 3, 1000));
    }
}
