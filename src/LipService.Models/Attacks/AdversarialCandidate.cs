namespace LipService.Models.Attacks;

/// <summary>An input the network (through libtorch) gave another label, and its L2 distance from the original, in float64 from the float32 pixels.</summary>
public sealed record AdversarialCandidate(float[] Image, double Distance);
