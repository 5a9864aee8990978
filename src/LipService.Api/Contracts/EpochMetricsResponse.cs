using LipService.Training.Engine;

namespace LipService.Api.Contracts;

/// <summary>One completed epoch, numbered from 1: means over the epoch's training batches, and the same on the whole test split (val*).</summary>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochMetricsResponse(
    int Epoch,
    double Loss,
    double Kr,
    double Hinge,
    double Accuracy,
    double ValLoss,
    double ValKr,
    double ValHinge,
    double ValAccuracy,
    double Seconds)
{
    public static EpochMetricsResponse From(EpochMetrics m) => new(
        m.Epoch, m.Loss, m.Kr, m.Hinge, m.Accuracy, m.ValLoss, m.ValKr, m.ValHinge, m.ValAccuracy, m.Seconds);
}
