using LipService.Models.Activations;
using LipService.Models.Networks;
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
        { new TrainingSpec { Classes = [10, 8] }, "classes" },
        { new TrainingSpec { Classes = [0, 0] }, "classes" },
        { new TrainingSpec { Classes = [0] }, "classes" },
        { new TrainingSpec { Classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1] }, "classes" },
        { new TrainingSpec { Preset = "mnist100" }, "preset" },
        { new TrainingSpec { Loss = LossKind.TauCrossEntropy }, "loss" }, // two classes
        { new TrainingSpec { Loss = LossKind.PairwiseHinge }, "loss" }, // two classes
        { new TrainingSpec { Loss = LossKind.OffsetCrossEntropy }, "loss" }, // two classes
        { new TrainingSpec { Classes = [1, 2, 3], Loss = LossKind.OffsetCrossEntropy, Tau = 0 }, "tau" }, // T = 1/τ
        { new TrainingSpec { Classes = [1, 2, 3], Loss = LossKind.TauCrossEntropy, Tau = 0 }, "tau" },
        { new TrainingSpec { Architecture = ArchitectureKind.Conv }, "channels" },
        { new TrainingSpec { Channels = [16] }, "channels" }, // dense
        { new TrainingSpec { Architecture = ArchitectureKind.Conv, Channels = [15] }, "channels" },
        { new TrainingSpec { Architecture = ArchitectureKind.Conv, Channels = [16, 16, 16, 16, 16] }, "channels" },
        { new TrainingSpec { Alpha = -1 }, "alpha" },
        { new TrainingSpec { Alpha = double.NaN }, "alpha" },
        { new TrainingSpec { MinMargin = 0 }, "minMargin" },
        { new TrainingSpec { LearningRate = 0 }, "learningRate" },
        { new TrainingSpec { LearningRate = 1.5 }, "learningRate" },
        { new TrainingSpec { Hidden = [] }, "hidden" },
        { new TrainingSpec { Hidden = [4097] }, "hidden" },
        { new TrainingSpec { Hidden = [1, 2, 3, 4, 5, 6, 7, 8, 10] }, "hidden" },
        { new TrainingSpec { Hidden = [33] }, "hidden" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void InvalidFieldsAreNamed(TrainingSpec spec, string field)
    {
        var errors = spec.Validate();
        Assert.Equal([field], errors.Keys);
        Assert.Throws<ArgumentException>(spec.ToNetworkSpec);
    }

    [Theory]
    [InlineData(LossKind.TauCrossEntropy, "tau-cce")]
    [InlineData(LossKind.PairwiseHinge, "pairwise-hinge")]
    [InlineData(LossKind.OffsetCrossEntropy, "offset-cce")]
    public void MulticlassLossesOnTwoClassesAreRefusedNamingTheLossAndHkr(LossKind loss, string name)
    {
        var errors = new TrainingSpec { Classes = [0, 8], Loss = loss }.Validate();
        Assert.Equal(
            [$"{name} needs three or more classes (it compares one score per class); a two-class model has one output and trains with hkr."],
            errors["loss"]);
        Assert.Empty(new TrainingSpec { Classes = [0, 8, 3], Loss = loss, MinMargin = 2.3, Tau = 4 }.Validate());
    }

    [Theory]
    [InlineData("notebook", 2, false)]
    [InlineData("mnist10-dense", 10, false)]
    [InlineData("mnist10-conv", 10, true)]
    [InlineData("mnist10-robust", 10, true)]
    [InlineData("fashion-conv", 10, true)]
    public void PresetsAreValidAndBuildTheirNetwork(string name, int classes, bool convolutional)
    {
        Assert.True(TrainingPresets.TryGet(name, out var spec));
        Assert.Empty(spec.Validate());
        var network = spec.ToNetworkSpec();
        Assert.Equal(classes == 2 ? 1 : classes, network.Outputs);
        Assert.Equal(convolutional, network.IsConvolutional);
        Assert.Equal(name, spec.Preset);
    }

    [Fact]
    public void MulticlassModelsHaveAJointlyLipschitzHead()
    {
        var network = new TrainingSpec { Classes = [3, 1, 4] }.ToNetworkSpec();
        Assert.Equal(3, network.Outputs);
        Assert.Equal(OutputLayerKind.Spectral, network.OutputLayer);
        Assert.Equal(Models.Certificates.OutputCoupling.Joint, network.Coupling);
    }

    [Fact]
    public void OddWidthIsFineForRelu() => Assert.Empty(new TrainingSpec { Hidden = [33], Activation = ActivationChoice.ReLU }.Validate());
}
