using LipService.Api.Contracts;
using LipService.Models.Activations;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Contracts;

/// <summary>A request's names are read once, into the typed spec, with the errors the string spec gave.</summary>
public class JobSpecRequestTests
{
    public static TheoryData<JobSpecRequest, string> UnknownNames => new()
    {
        { new JobSpecRequest { Loss = "mse" }, "loss" },
        { new JobSpecRequest { Architecture = "resnet" }, "architecture" },
        { new JobSpecRequest { Activation = "tanh" }, "activation" },
        { new JobSpecRequest { Device = "tpu" }, "device" },
        { new JobSpecRequest { Dataset = "cifar" }, "dataset" },
        { new JobSpecRequest { Normalization = "fast" }, "normalization" },
        { new JobSpecRequest { LearningRateSchedule = "step" }, "learningRateSchedule" },
        // What depends on an unknown name is not judged: channels of an unknown architecture, widths of an unknown activation.
        { new JobSpecRequest { Architecture = "resnet", Channels = [16] }, "architecture" },
        { new JobSpecRequest { Preset = "mnist10-conv", Architecture = "resnet" }, "architecture" },
        { new JobSpecRequest { Activation = "tanh", Hidden = [33] }, "activation" },
        { new JobSpecRequest { Activation = "tanh", Hidden = [] }, "activation" },
    };

    [Theory]
    [MemberData(nameof(UnknownNames))]
    public void UnknownNamesAreNamed(JobSpecRequest request, string field)
    {
        var (_, errors) = request.Resolve(defaultSeed: 1);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void MessagesQuoteTheNameAsGiven()
    {
        var (_, errors) = new JobSpecRequest { Loss = " MSE ", Activation = "Tanh" }.Resolve(defaultSeed: 1);
        Assert.Equal(["loss must be hkr, tau-cce, pairwise-hinge or offset-cce (got ' MSE ')."], errors["loss"]);
        Assert.Equal(["Unknown activation 'Tanh'; use groupsort2, groupsort<n>, fullsort or relu."], errors["activation"]);
    }

    [Fact]
    public void NamesResolveToTypedValuesOverThePresets()
    {
        var (spec, errors) = new JobSpecRequest
        {
            Preset = "mnist10-dense", Architecture = " Conv", Activation = "GROUPSORT4", Loss = "tau-cce", Device = "CPU", Dataset = "fashion-mnist",
            Normalization = "deel2021", LearningRateSchedule = "constant",
        }.Resolve(defaultSeed: 5);
        Assert.Empty(errors);
        Assert.Equal(
            (ArchitectureKind.Conv, new ActivationChoice(ActivationKind.GroupSort, 4), LossKind.TauCrossEntropy, DeviceKind.Cpu, ScheduleKind.Constant, 5),
            (spec.Architecture, spec.Activation, spec.Loss, spec.Device, spec.LearningRateSchedule, spec.Seed));
        Assert.True(spec.IsFashionMnist);
        Assert.Equal(Models.Networks.NormalizationPreset.Deel2021, spec.Normalization);
        // Switching to conv takes mnist10-conv's channels.
        Assert.Equal([16], spec.Channels);
    }
}
