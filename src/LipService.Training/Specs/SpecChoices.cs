using LipService.Models.Activations;
using LipService.Models.Networks;
using LipService.Training.Data;

namespace LipService.Training.Specs;

/// <summary>
/// The names of the spec's choice fields, in one place: requests and command-line options are
/// read with them, responses, sweep rows and the store write them. Changing a name here changes
/// stored rows' meaning: that needs a store migration.
/// </summary>
public static class SpecChoices
{
    // The names offered are the built-in ones; an uploaded dataset's id reads too (GET /datasets lists them).
    public static SpecChoice<DatasetRef> Dataset { get; } = new(
        "dataset",
        DatasetKinds.Names,
        DatasetRef.TryParse,
        dataset => dataset.Name,
        got => $"Unknown dataset '{got}'; use {string.Join(", ", DatasetKinds.Names)} or the id of an uploaded dataset ({DatasetRef.UploadedPrefix}…, listed by GET /datasets).");

    public static SpecChoice<ArchitectureKind> Architecture { get; } = SpecChoice<ArchitectureKind>.Table(
        "architecture",
        [(ArchitectureKind.Dense, "dense"), (ArchitectureKind.Conv, "conv"), (ArchitectureKind.OrthoConv, "ortho-conv"), (ArchitectureKind.OrthoConvUnshuffle, "ortho-conv-unshuffle")],
        got => $"architecture must be dense, conv, ortho-conv or ortho-conv-unshuffle (got '{got}').");

    // The names offered: GroupSort2 is what every preset uses; groupsort4 is the common wider
    // group; the others are the ones the notebook's authors compared it with. Any groupsort<n> reads.
    public static SpecChoice<ActivationChoice> Activation { get; } = new(
        "activation",
        ["groupsort2", "groupsort4", "fullsort", "relu"],
        (string text, out ActivationChoice value) =>
        {
            bool known = ActivationName.TryParse(text, out var kind, out int groupSize);
            value = new ActivationChoice(kind, groupSize);
            return known;
        },
        value => value.ToString(),
        got => $"Unknown activation '{got}'; use groupsort2, groupsort<n>, fullsort or relu.");

    public static SpecChoice<LossKind> Loss { get; } = SpecChoice<LossKind>.Table(
        "loss",
        [(LossKind.Hkr, "hkr"), (LossKind.TauCrossEntropy, "tau-cce"), (LossKind.PairwiseHinge, "pairwise-hinge"), (LossKind.OffsetCrossEntropy, "offset-cce")],
        got => $"loss must be hkr, tau-cce, pairwise-hinge or offset-cce (got '{got}').");

    public static SpecChoice<ScheduleKind> LearningRateSchedule { get; } = SpecChoice<ScheduleKind>.Table(
        "learningRateSchedule",
        [(ScheduleKind.Constant, "constant"), (ScheduleKind.Cosine, "cosine")],
        got => $"learningRateSchedule must be constant or cosine (got '{got}').");

    public static SpecChoice<DeviceKind> Device { get; } = SpecChoice<DeviceKind>.Table(
        "device",
        [(DeviceKind.Cpu, "cpu"), (DeviceKind.Cuda, "cuda"), (DeviceKind.Auto, "auto")],
        got => $"device must be cpu, cuda or auto (got '{got}').");

    public static SpecChoice<NormalizationPreset> Normalization { get; } = SpecChoice<NormalizationPreset>.Table(
        "normalization",
        [(NormalizationPreset.Default, "default"), (NormalizationPreset.Deel2021, "deel2021")],
        got => $"normalization must be default or deel2021 (got '{got}').");
}
