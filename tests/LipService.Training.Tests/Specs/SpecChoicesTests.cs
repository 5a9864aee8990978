using LipService.Models.Activations;
using LipService.Models.Networks;
using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Training.Tests.Specs;

/// <summary>The one map between the spec's typed choices and their names on the wire and in the store.</summary>
public class SpecChoicesTests
{
    [Fact]
    public void EveryValueHasTheNameTheStoreHoldsAndReadsBack()
    {
        // Stored rows hold these names: changing one is a store migration.
        AssertNames(SpecChoices.Dataset, (DatasetKind.Mnist, "mnist"), (DatasetKind.FashionMnist, "fashion-mnist"));
        AssertNames(SpecChoices.Architecture, (ArchitectureKind.Dense, "dense"), (ArchitectureKind.Conv, "conv"), (ArchitectureKind.OrthoConv, "ortho-conv"), (ArchitectureKind.OrthoConvUnshuffle, "ortho-conv-unshuffle"));
        AssertNames(SpecChoices.Loss,
            (LossKind.Hkr, "hkr"), (LossKind.TauCrossEntropy, "tau-cce"),
            (LossKind.PairwiseHinge, "pairwise-hinge"), (LossKind.OffsetCrossEntropy, "offset-cce"));
        AssertNames(SpecChoices.LearningRateSchedule, (ScheduleKind.Constant, "constant"), (ScheduleKind.Cosine, "cosine"));
        AssertNames(SpecChoices.Device, (DeviceKind.Cpu, "cpu"), (DeviceKind.Cuda, "cuda"), (DeviceKind.Auto, "auto"));
        AssertNames(SpecChoices.Normalization, (NormalizationPreset.Default, "default"), (NormalizationPreset.Deel2021, "deel2021"));
        AssertNames(SpecChoices.Activation,
            (ActivationChoice.GroupSort2, "groupsort2"), (ActivationChoice.GroupSort(4), "groupsort4"),
            (ActivationChoice.FullSort, "fullsort"), (ActivationChoice.ReLU, "relu"), (ActivationChoice.GroupSort(7), "groupsort7"));
    }

    [Fact]
    public void NamesReadIgnoringCaseAndSurroundingSpaces()
    {
        Assert.Equal(ArchitectureKind.Conv, SpecChoices.Architecture.Read(" CONV "));
        Assert.Equal(LossKind.TauCrossEntropy, SpecChoices.Loss.Read("Tau-CCE"));
        Assert.Equal(LossKind.PairwiseHinge, SpecChoices.Loss.Read(" Pairwise-Hinge"));
        Assert.Equal(LossKind.OffsetCrossEntropy, SpecChoices.Loss.Read("OFFSET-CCE "));
        Assert.Equal(DeviceKind.Auto, SpecChoices.Device.Read("AUTO"));
        Assert.Equal(DatasetKind.FashionMnist, SpecChoices.Dataset.Read("Fashion-MNIST "));
        Assert.Equal(new ActivationChoice(ActivationKind.GroupSort, 4), SpecChoices.Activation.Read("GroupSort4"));
        Assert.Equal(ActivationChoice.GroupSort2, SpecChoices.Activation.Read("groupsort2"));
    }

    public static TheoryData<string, string, string> UnknownNames => new()
    {
        { "loss", "mse", "loss must be hkr, tau-cce, pairwise-hinge or offset-cce (got 'mse')." },
        { "architecture", "resnet", "architecture must be dense, conv, ortho-conv or ortho-conv-unshuffle (got 'resnet')." },
        { "activation", "tanh", "Unknown activation 'tanh'; use groupsort2, groupsort<n>, fullsort or relu." },
        { "device", "tpu", "device must be cpu, cuda or auto (got 'tpu')." },
        { "dataset", "cifar", "Unknown dataset 'cifar'; use mnist, fashion-mnist or the id of an uploaded dataset (ds-…, listed by GET /datasets)." },
        { "normalization", "fast", "normalization must be default or deel2021 (got 'fast')." },
        { "learningRateSchedule", "step", "learningRateSchedule must be constant or cosine (got 'step')." },
    };

    [Theory]
    [MemberData(nameof(UnknownNames))]
    public void UnknownNamesAreRefusedWithTheirFieldsMessage(string field, string name, string message)
    {
        var (read, unknown) = field switch
        {
            "loss" => (SpecChoices.Loss.TryRead(name, out _), SpecChoices.Loss.Unknown(name)),
            "architecture" => (SpecChoices.Architecture.TryRead(name, out _), SpecChoices.Architecture.Unknown(name)),
            "activation" => (SpecChoices.Activation.TryRead(name, out _), SpecChoices.Activation.Unknown(name)),
            "device" => (SpecChoices.Device.TryRead(name, out _), SpecChoices.Device.Unknown(name)),
            "dataset" => (SpecChoices.Dataset.TryRead(name, out _), SpecChoices.Dataset.Unknown(name)),
            "normalization" => (SpecChoices.Normalization.TryRead(name, out _), SpecChoices.Normalization.Unknown(name)),
            _ => (SpecChoices.LearningRateSchedule.TryRead(name, out _), SpecChoices.LearningRateSchedule.Unknown(name)),
        };
        Assert.False(read);
        Assert.Equal(message, unknown);
        Assert.False(SpecChoices.Loss.TryRead(null, out _));
    }

    [Fact]
    public void ReadingANameThatIsNoneThrowsWithItsMessage() =>
        Assert.Equal("device must be cpu, cuda or auto (got 'tpu').", Assert.Throws<FormatException>(() => SpecChoices.Device.Read("tpu")).Message);

    [Fact]
    public void AnUnreadChoiceTakesItsPlaceAndSkipsTheChecksThatDependOnIt()
    {
        // Odd widths are wrong for groupsort2 (the value held in place of the unknown name), but not judged without an activation.
        var errors = new TrainingSpec { Hidden = [33] }.Validate(new Dictionary<string, string> { ["activation"] = "unknown" });
        Assert.Equal(["activation"], errors.Keys);
        // Channels are checked against a known architecture only.
        errors = new TrainingSpec { Channels = [16] }.Validate(new Dictionary<string, string> { ["architecture"] = "unknown" });
        Assert.Equal(["architecture"], errors.Keys);
        errors = new TrainingSpec().Validate(new Dictionary<string, string> { ["loss"] = "a", ["device"] = "b" });
        Assert.Equal(["loss", "device"], errors.Keys);
        Assert.Equal(["a"], errors["loss"]);
    }

    private static void AssertNames<T>(SpecChoice<T> choice, params (T Value, string Name)[] names) where T : struct
    {
        foreach (var (value, name) in names)
        {
            Assert.Equal(name, choice.NameOf(value));
            Assert.True(choice.TryRead(name, out var read));
            Assert.Equal(value, read);
        }
        Assert.Subset(names.Select(n => n.Name).ToHashSet(), choice.Names.ToHashSet());
    }
}
