using LipService.Api.Contracts;
using LipService.Api.Sweeps;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Deployment;

public class SweepPlanningTests
{
    [Fact]
    public void EveryCombinationBecomesOneSpecOnTheBase()
    {
        var request = new SweepRequest
        {
            Base = new JobSpecRequest { Epochs = 3, Seed = 9 },
            Alpha = [1, 10],
            MinMargin = [0.5, 1],
            Hidden = [[32, 16], [64]],
        };
        var (specs, errors) = SweepPlanner.Expand(request, () => 123);
        Assert.Null(errors);
        Assert.Equal(8, specs.Count);
        Assert.Equal(8, specs.Select(s => (s.Alpha, s.MinMargin, string.Join(",", s.Hidden))).Distinct().Count());
        Assert.All(specs, s => Assert.Equal((3, 9), (s.Epochs, s.Seed)));
    }

    [Fact]
    public void TheMulticlassFieldsSweepOnAPreset()
    {
        var request = new SweepRequest
        {
            Base = new JobSpecRequest { Preset = "mnist10-conv", Epochs = 2 },
            Loss = ["tau-cce"],
            Tau = [3, 30],
            Channels = [[16], [16, 32]],
        };
        var (specs, errors) = SweepPlanner.Expand(request, () => 7);
        Assert.Null(errors);
        Assert.Equal(4, specs.Count);
        Assert.Equal([(3.0, "16"), (3.0, "16,32"), (30.0, "16"), (30.0, "16,32")], specs.Select(s => (s.Tau, string.Join(",", s.Channels))));
        Assert.All(specs, s => Assert.Equal((10, ArchitectureKind.Conv, LossKind.TauCrossEntropy, 2, 7), (s.Classes.Count, s.Architecture, s.Loss, s.Epochs, s.Seed)));
        // tau-cce on the notebook's two classes is refused, naming the combination.
        var binary = SweepPlanner.Expand(new SweepRequest { Loss = ["hkr", "tau-cce"] }, () => 1).Errors!;
        Assert.Contains("combination 2", binary["loss"][0]);
    }

    [Fact]
    public void TooManyCombinationsEmptyListsAndInvalidValuesAreRejected()
    {
        var huge = new SweepRequest { Alpha = [.. Enumerable.Range(1, 17).Select(i => (double)i)], Seed = [.. Enumerable.Range(1, 16)] };
        Assert.Contains("272 combinations", SweepPlanner.Expand(huge, () => 1).Errors!["body"][0]);
        // 256⁸ = 2⁶⁴: a product in 64 bits wraps around to 0 combinations, which once passed the limit.
        double[] many = [.. Enumerable.Range(1, 256).Select(i => i / 256.0)];
        var wrapping = new SweepRequest
        {
            Alpha = many, MinMargin = many, Tau = many, LearningRate = many, Seed = [.. Enumerable.Range(1, 256)],
            Loss = [.. Enumerable.Repeat("hkr", 256)], Activation = [.. Enumerable.Repeat("groupsort2", 256)],
            Hidden = [.. Enumerable.Repeat(new[] { 32 }, 256)],
        };
        Assert.Contains("1.84E+019 combinations", SweepPlanner.Expand(wrapping, () => 1).Errors!["body"][0]);
        Assert.Contains("minMargin", SweepPlanner.Expand(new SweepRequest { MinMargin = [] }, () => 1).Errors!.Keys);
        var invalid = SweepPlanner.Expand(new SweepRequest { Alpha = [1, -1] }, () => 1).Errors!;
        Assert.Contains("combination 2", invalid["alpha"][0]);
    }

    [Fact]
    public void ParetoFrontKeepsTheUndominatedPoints()
    {
        double[][] points = [[0.99, 0.5], [0.98, 0.7], [0.97, 0.6], [0.99, 0.5], [0.90, 0.9]];
        // [0.97, 0.6] is beaten by [0.98, 0.7]; the two equal best-accuracy points do not beat each other.
        Assert.Equal([0, 1, 3, 4], ParetoFront.Of(points));
    }
}
