using LipService.Api.Datasets;
using LipService.Training.Data;

namespace LipService.Api.Imaging;

/// <summary>
/// Turns an uploaded picture into the input of a model trained on an uploaded dataset: decoded the
/// way the dataset's zip images were (<see cref="RgbaToPlanar"/>: luma for 1 channel, alpha
/// composited onto black), scaled to [0, 1], at its own size.
/// </summary>
/// <remarks>
/// An image of another size is refused, not resized: the certified radius is an L2 distance over the
/// dataset's pixels, and a resized image's pixels are other pixels. Thread-safe: no state but limits.
/// </remarks>
public sealed class DatasetImagePreprocessor(ImageUploadOptions? options = null)
{
    private readonly UploadLimits limits = new(options);

    /// <returns><see cref="ImageShape.Pixels"/> values in [0, 1], channel-major.</returns>
    /// <exception cref="ImageRejectedException">Another size than <paramref name="shape"/>'s, or not decodable.</exception>
    public float[] ToDataset(EncodedImage image, ImageShape shape, string datasetName)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bitmap = EncodedImageDecoder.Decode(image.Bytes.Span, image.FileName, limits.MaxSide, limits.MaxBytes);
        if (bitmap.Width != shape.Width || bitmap.Height != shape.Height)
        {
            throw new ImageRejectedException(
                $"'{image.FileName}' is {bitmap.Width}×{bitmap.Height} pixels (width×height); this model was trained on dataset {datasetName}, "
                + $"whose images are {shape.Width}×{shape.Height}. Send images of that size: they are not resized, as the certified radius is measured in the dataset's pixels");
        }
        var planar = new byte[shape.Pixels];
        RgbaToPlanar.Convert(bitmap.GetPixelSpan(), planar, shape.Channels);
        var pixels = new float[planar.Length];
        ClassTask.ScaleInto(planar, pixels);
        return pixels;
    }
}
