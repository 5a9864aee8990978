using LipService.Api.Serving;
using LipService.Models.Export;
using LipService.Models.Networks;
using LipService.Training.Engine;
using LipService.Training.Jobs;
using LipService.Training.Specs;
using TorchSharp;

namespace LipService.Api.Tests.Serving;

/// <summary>A <see cref="LoadedModel"/> of an untrained network of any spec, without a store or a job.</summary>
internal static class UntrainedModels
{
    public static LoadedModel Load(TrainingSpec spec, string id, ulong seed = 5, int managedBatchLimit = 64)
    {
        using var network = new LipschitzNetwork(spec.ToNetworkSpec(), new torch.Generator(seed));
        network.Refresh();
        using var exported = ExportedNetwork.From(network);
        var record = new ModelRecord
        {
            Id = id,
            JobId = id + "-job",
            Spec = spec,
            CreatedAt = DateTimeOffset.UnixEpoch,
            LipschitzBound = exported.LipschitzBound,
            TrainableParameters = 0,
            Metrics = new EpochMetrics(1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            CertifiedAccuracy = [],
        };
        return new LoadedModel(record, exported.Serialize(), managedBatchLimit);
    }
}
