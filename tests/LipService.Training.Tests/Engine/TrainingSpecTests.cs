using LipService.Models.Activations;
using LipService.Training.Specs;

namespace LipService.Training.Tests.Engine;

public class TrainingSpecTests
{
    [Fact]
    public void DefaultsAreTheNotebooks()
    {
        var spec = new TrainingSpec();
        Assert.Empty(spec.Validate());
        var network = spec.ToNetworkSpec();
        Assert.Equal([32, 16], network.Hidden);
        Assert.Equal(ActivationKind.GroupSort2, network.Activation);
        Assert.False(network.OutputBias);
        Assert.Equal((0, 8, 10.0, 1.0, 1e-3, 10, 128), (spec.PositiveClass, spec.NegativeClass, spec.Alpha, spec.MinMargin, spec.LearningRate, spec.Epochs, spec.BatchSize));
    }

    public static TheoryData<TrainingSpec, string> InvalidSpecs => new()
    {
        { new TrainingSpec { Epochs = 0 }, "epochs" },
        { new TrainingSpec { Epochs = 1001 }, "epochs" },
        { new TrainingSpec { BatchSize = 0 }, "batchSize" },
        { new TrainingSpec { BatchSize = 8193 }, "batchSize" },
        { new TrainingSpec { PositiveClass = 10 }, "positiveClass" },
        { new TrainingSpec { NegativeClass = 0 }, "negativeClass" },
        { new TrainingSpec { Alpha = -1 }, "alpha" },
        { new TrainingSpec { Alpha = double.NaN }, "alpha" },
        { new TrainingSpec { MinMargin = 0 }, "minMargin" },
        { new TrainingSpec { LearningRate = 0 }, "learningRate" },
        { new TrainingSpec { LearningRate = 1.5 }, "learningRate" },
        { new TrainingSpec { Hidden = [] }, "hidden" },
        { new TrainingSpec { Hidden = [4097] }, "hidden" },
        { new TrainingSpec { Hidden = [1, 2, 3, 4, 5, 6, 7, 8, 10] }, "hidden" },
        { new TrainingSpec { Hidden = [33] }, "hidden" },
        { new TrainingSpec { Activation = "tanh" }, "activation" },
        { new TrainingSpec { Device = "tpu" }, "device" },
        { new TrainingSpec { Dataset = "cifar" }, "dataset" },
        { new TrainingSpec { Normalization = "fast" }, "normalization" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void InvalidFieldsAreNamed(TrainingSpec spec, string field)
    {
        var errors = spec.Validate();
        Assert.Equal([field], errors.Keys);
        Assert.Throws<ArgumentException>(spec.ToNetworkSpec);
    }

    [Fact]
    public void OddWidthIsFineForRelu() => Assert.Empty(new TrainingSpec { Hidden = [33], Activation = "relu" }.Validate());
}
