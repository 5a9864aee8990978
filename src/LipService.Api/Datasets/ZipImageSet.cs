using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>What a zip of class folders held.</summary>
/// <param name="ClassNames">The folder names in ordinal order; a sample's label is its folder's index here.
/// For a validation zip, the training set's classes, whether or not each had a folder.</param>
/// <param name="Counts">Images per class, in the order of <paramref name="ClassNames"/>.</param>
public sealed record ZipImageSet(ImageShape Shape, IReadOnlyList<string> ClassNames, IReadOnlyList<int> Counts);
