using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>What an IDX pair held: <paramref name="Count"/> images of <paramref name="Shape"/>, each with its label.</summary>
public sealed record IdxImageSet(ImageShape Shape, int Count);
