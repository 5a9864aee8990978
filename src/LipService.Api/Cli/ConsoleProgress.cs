using LipService.Training.Engine;

namespace LipService.Api.Cli;

/// <summary>Prints each epoch the way Keras' fit(verbose=1) did in the notebook.</summary>
public sealed class ConsoleProgress(TextWriter output, int epochs, int steps) : ITrainingProgress
{
    public void EpochCompleted(EpochMetrics m)
    {
        output.WriteLine($"Epoch {m.Epoch}/{epochs}");
        output.WriteLine(
            $"{steps}/{steps} - {m.Seconds:F2}s - loss: {m.Loss:F4} - KR: {m.Kr:F4} - HingeMargin: {m.Hinge:F4} - HKR_binary_accuracy: {m.Accuracy:F4}"
            + $" - val_loss: {m.ValLoss:F4} - val_KR: {m.ValKr:F4} - val_HingeMargin: {m.ValHinge:F4} - val_HKR_binary_accuracy: {m.ValAccuracy:F4}");
    }
}
