namespace LipService.Models.Networks;

/// <summary>Keras-style counts: trainable parameters, and non-trainable state values (buffers).</summary>
public readonly record struct ParameterCounts(long Trainable, long NonTrainable)
{
    public long Total => Trainable + NonTrainable;
}
