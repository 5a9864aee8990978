namespace LipService.Training.Engine;

/// <summary>One completed epoch, numbered from 1: training means over batches and full-test-set values.</summary>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double Kr,
    double Hinge,
    double Accuracy,
    double ValLoss,
    double ValKr,
    double ValHinge,
    double ValAccuracy,
    double Seconds);
