using LipService.Training.Data;
using static System.FormattableString;

namespace LipService.Api.Datasets;

/// <summary>
/// Reads an uploaded IDX pair, images and labels, each raw or gzip, into samples, an image at a time.
/// </summary>
/// <remarks>
/// Everything the headers and the labels file can show is checked before the first sample is handed
/// on: shape, limits, counts, every label, and for an uncompressed images file its exact length. Only
/// a gzip images file's short or overlong data shows up part way through.
/// </remarks>
public static class IdxUploadReader
{
    /// <summary>Unsigned bytes, 3 dimensions: count, rows, columns (gray, as MNIST).</summary>
    private const uint ImagesMagic = IdxReader.ImagesMagic;

    /// <summary>Unsigned bytes, 4 dimensions: count, rows, columns, channels (stored HWC, as numpy's N×H×W×C).</summary>
    private const uint ChannelImagesMagic = IdxReader.ImagesMagic + 1;

    /// <summary>Unsigned bytes, 1 dimension: count.</summary>
    private const uint LabelsMagic = IdxReader.LabelsMagic;

    private const int LabelChunk = 1 << 16;

    /// <param name="like">The training set's shape, when these files are its validation set.</param>
    /// <exception cref="DatasetRejectedException">Anything in either file that keeps the pair from being a dataset.</exception>
    public static IdxImageSet Read(string imagesPath, string imagesField, string imagesName,
        string labelsPath, string labelsField, string labelsName, DatasetOptions limits, ImageShape? like, ISampleSink sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(imagesPath);
        ArgumentException.ThrowIfNullOrEmpty(labelsPath);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(sink);

        using var images = IdxUploadStream.Open(imagesPath, imagesField, imagesName);
        var (shape, count) = ReadImagesHeader(images, limits, like);
        CheckLabels(labelsPath, labelsField, labelsName, images.Name, count, limits);

        using var labels = IdxUploadStream.Open(labelsPath, labelsField, labelsName);
        labels.ReadMagic();
        labels.ReadSizes(1);
        Stream(images, labels, shape, count, sink);
        return new IdxImageSet(shape, count);
    }

    private static (ImageShape Shape, int Count) ReadImagesHeader(IdxUploadStream images, DatasetOptions limits, ImageShape? like)
    {
        uint magic = images.ReadMagic();
        int dimensions = magic switch
        {
            ImagesMagic => 3,
            ChannelImagesMagic => 4,
            LabelsMagic => throw images.Reject(Invariant($"is an IDX labels file (magic 0x{magic:X8}), not images; images have magic 0x{ImagesMagic:X8} or 0x{ChannelImagesMagic:X8}")),
            _ => throw images.Reject(Invariant($"is not an IDX images file (magic 0x{magic:X8}; expected 0x{ImagesMagic:X8} or 0x{ChannelImagesMagic:X8})")),
        };
        long[] sizes = images.ReadSizes(dimensions);
        long count = sizes[0], height = sizes[1], width = sizes[2];
        long channels = dimensions == 4 ? sizes[3] : 1;
        if (channels is not (1 or 3))
            throw images.Reject(Invariant($"has {channels} channels per pixel; images have 1 (gray) or 3 (RGB)"));
        if (!DatasetRules.SidesFit(limits, height, width))
            throw images.Reject(Invariant($"holds {height}×{width} images; {DatasetRules.SidesRule(limits)}"));

        var shape = new ImageShape((int)channels, (int)height, (int)width);
        if (like is { } expected && shape != expected)
            throw images.Reject($"holds images of {shape} but the training images are {expected}; validation images must have their shape");
        if (count == 0) throw images.Reject("holds no images");
        // From the header alone: a file declaring 50 GB is refused before its data is touched.
        if (count * shape.Pixels > limits.MaxExpandedBytes)
            throw DatasetRules.TooManyDecodedBytes(images.Field, images.Name, count, shape, limits);
        if (count > limits.MaxImages)
            throw DatasetRules.TooManyImages(images.Field, images.Name, Invariant($"declares {count:N0} images"), limits);

        // An uncompressed file's length says at once whether the data is all there, and only there.
        if (!images.IsGzip)
        {
            long headerBytes = 4 + (4 * dimensions);
            long complete = (images.FileLength - headerBytes) / shape.Pixels;
            if (complete < count)
                throw images.Reject(Invariant($"ends after {complete:N0} of {count:N0} images"));
            if (images.FileLength > headerBytes + (count * shape.Pixels))
                throw TrailingImageBytes(images, count);
        }
        return (shape, (int)count);
    }

    /// <summary>A first pass over the labels, so that a bad label is refused before any sample is handed on.</summary>
    private static void CheckLabels(string path, string field, string name, string imagesName, int count, DatasetOptions limits)
    {
        using var labels = IdxUploadStream.Open(path, field, name);
        uint magic = labels.ReadMagic();
        if (magic != LabelsMagic)
        {
            throw magic is ImagesMagic or ChannelImagesMagic
                ? labels.Reject(Invariant($"is an IDX images file (magic 0x{magic:X8}), not labels; labels have magic 0x{LabelsMagic:X8}"))
                : labels.Reject(Invariant($"is not an IDX labels file (magic 0x{magic:X8}; expected 0x{LabelsMagic:X8})"));
        }
        long declared = labels.ReadSizes(1)[0];
        if (declared != count)
            throw labels.Reject(Invariant($"holds {declared:N0} labels but {imagesName} holds {count:N0} images; there must be one label per image"));

        Span<bool> seen = stackalloc bool[256];
        int distinct = 0;
        byte firstLabel = 0;
        var chunk = new byte[Math.Min(LabelChunk, count)];
        for (int done = 0; done < count;)
        {
            int want = Math.Min(chunk.Length, count - done);
            int got = labels.Fill(chunk.AsSpan(0, want));
            for (int i = 0; i < got; i++)
            {
                byte label = chunk[i];
                if (label >= limits.MaxClasses)
                    throw labels.Reject(Invariant($"label {label} of image {done + i} (counting from 0) is out of range; {DatasetRules.LabelsRule(limits)}"));
                if (!seen[label])
                {
                    if (distinct == 0) firstLabel = label;
                    seen[label] = true;
                    distinct++;
                }
            }
            done += got;
            if (got < want)
                throw labels.Reject(Invariant($"ends after {done:N0} of {count:N0} labels{labels.AfterGzip}"));
        }
        if (!labels.AtEnd())
            throw labels.Reject(Invariant($"has bytes after the {count:N0} labels its header declares"));
        if (distinct < 2)
            throw DatasetRules.OneClassOnly(field, name, Invariant($"every label is {firstLabel}"));
    }

    private static void Stream(IdxUploadStream images, IdxUploadStream labels, ImageShape shape, int count, ISampleSink sink)
    {
        var stored = new byte[shape.Pixels];
        byte[] planar = shape.Channels == 1 ? stored : new byte[shape.Pixels];
        var labelChunk = new byte[Math.Min(LabelChunk, count)];
        int labelAt = 0, labelsHeld = 0;
        for (int i = 0; i < count; i++)
        {
            if (images.Fill(stored) < stored.Length)
                throw images.Reject(Invariant($"ends after {i:N0} of {count:N0} images{images.AfterGzip}"));
            if (labelAt == labelsHeld)
            {
                // Checked whole by CheckLabels; still read defensively, as a file can change.
                labelsHeld = labels.Fill(labelChunk.AsSpan(0, Math.Min(labelChunk.Length, count - i)));
                labelAt = 0;
                if (labelsHeld == 0)
                    throw labels.Reject(Invariant($"ends after {i:N0} of {count:N0} labels{labels.AfterGzip}"));
            }
            if (shape.Channels != 1) InterleavedToPlanar.Convert(stored, planar, shape.Channels);
            sink.Add(planar, labelChunk[labelAt++]);
        }
        if (!images.AtEnd()) throw TrailingImageBytes(images, count);
    }

    private static DatasetRejectedException TrailingImageBytes(IdxUploadStream images, long count) =>
        images.Reject(Invariant($"has bytes after the {count:N0} images its header declares; its header and its data disagree"));
}
