using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>What a CSV upload held: <paramref name="Count"/> rows, each an image of <paramref name="Shape"/> and its label.</summary>
public sealed record CsvImageSet(ImageShape Shape, int Count);
