using LipService.Training.Engine;

namespace LipService.Api.Cli;

/// <summary>Prints each epoch the way Keras' fit(verbose=1) did in the notebook.</summary>
public sealed class ConsoleProgress(TextWriter output, int epochs, int steps, bool binary = true) : ITrainingProgress
{
    public void EpochCompleted(EpochMetrics m)
    {
        output.WriteLine($"Epoch {m.Epoch}/{epochs}");
        output.WriteLine(
            $"{steps}/{steps} - {m.Seconds:F2}s - loss: {m.Loss:F4} - KR: {m.Kr:F4} - HingeMargin: {m.Hinge:F4} - {Accuracy}: {m.Accuracy:F4}"
            + $" - val_loss: {m.ValLoss:F4} - val_KR: {m.ValKr:F4} - val_HingeMargin: {m.ValHinge:F4} - val_{Accuracy}: {m.ValAccuracy:F4}");
    }

    // The notebook's Keras metric names for the binary model; a multiclass model's accuracy is plain.
    private string Accuracy => binary ? "HKR_binary_accuracy" : "accuracy";
}
