using System.Globalization;

namespace LipService.Training.Engine;

/// <summary>
/// An epoch ended with a non-finite training loss: the weights left the range float32 can
/// represent, so going on would only store a network that answers NaN.
/// </summary>
public sealed class TrainingDivergedException(int epoch, double loss)
    : Exception($"Training diverged in epoch {epoch}: the loss became {loss.ToString(CultureInfo.InvariantCulture)} (not a finite number); a lower learningRate usually fixes it.")
{
    public int Epoch { get; } = epoch;
}
