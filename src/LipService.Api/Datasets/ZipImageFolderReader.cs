using System.IO.Compression;
using LipService.Training.Data;
using SkiaSharp;
using static System.FormattableString;

namespace LipService.Api.Datasets;

/// <summary>
/// Reads a zip of one folder per class, each holding PNG or JPEG files of one size, into samples, an
/// image at a time.
/// </summary>
/// <remarks>
/// Two passes. The first reads the central directory (names, declared sizes, counts) and then each
/// image's header, so every problem a listing or a header shows is refused before the sink receives
/// anything. The second decodes, at the images' own size: nothing is resampled.
/// </remarks>
public sealed class ZipImageFolderReader
{
    private readonly string _field;
    private readonly string _fileName;
    private readonly DatasetOptions _limits;

    // One entry's encoded bytes, sized for the largest entry; entries never exceed MaxImageBytes.
    private byte[] _encoded = [];

    private ZipImageFolderReader(string field, string fileName, DatasetOptions limits)
    {
        _field = field;
        _fileName = fileName;
        _limits = limits;
    }

    /// <param name="zipPath">The upload, already on disk; read in place.</param>
    /// <param name="field">The form part it came in, for <see cref="DatasetRejectedException.Field"/>.</param>
    /// <param name="fileName">The name its sender gave it, for messages.</param>
    /// <param name="channels">1 or 3 to force gray or RGB; null for 1 when every image is gray, else 3.</param>
    /// <param name="like">The training set, when this zip is its validation set: its shape and classes
    /// are imposed, and a class may have no folder here.</param>
    /// <exception cref="DatasetRejectedException">Anything in the file that keeps it from being a dataset.</exception>
    public static ZipImageSet Read(string zipPath, string field, string fileName, DatasetOptions limits, int? channels, ZipImageSet? like, ISampleSink sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(zipPath);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(sink);
        if (channels is not (null or 1 or 3))
            throw new DatasetRejectedException("channels", Invariant($"channels is {channels}; images have 1 channel (gray) or 3 (RGB)."));

        var reader = new ZipImageFolderReader(field, fileName, limits);
        try
        {
            using var file = new FileStream(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            // Room for a folder entry per class and for macOS litter (a "._" twin of every file) besides the images.
            if (ZipEntryCount.Declared(file) is long entries && entries > 2L * limits.MaxImages + 2L * limits.MaxClasses + 16)
                throw DatasetRules.TooManyImages(field, fileName, Invariant($"declares {entries:N0} entries"), limits);
            using var archive = new ZipArchive(file, ZipArchiveMode.Read);
            var (images, classNames, counts) = reader.Catalog(archive, like);
            ImageShape shape = reader.ReadShape(images, channels, like);
            reader.Decode(images, classNames, shape, sink);
            return new ZipImageSet(shape, classNames, counts);
        }
        catch (InvalidDataException e)
        {
            throw reader.Reject($"is not a zip file, or a damaged one ({e.Message})");
        }
        catch (EndOfStreamException e)
        {
            throw reader.Reject($"ends early; it may have been cut short ({e.Message})");
        }
    }

    /// <summary>Pass 1a: names, declared sizes and counts, from the central directory alone.</summary>
    private (List<(ZipArchiveEntry Entry, string ClassName)> Images, string[] ClassNames, int[] Counts) Catalog(ZipArchive archive, ZipImageSet? like)
    {
        var images = new List<(ZipArchiveEntry, string)>();
        var perClass = new Dictionary<string, int>(StringComparer.Ordinal);
        HashSet<string>? known = like is null ? null : new HashSet<string>(like.ClassNames, StringComparer.Ordinal);
        long declared = 0;
        long largest = 0;
        foreach (ZipArchiveEntry entry in archive.Entries)
        {
            ZipEntryName name = ZipEntryName.Parse(entry.FullName);
            if (name.Kind == ZipEntryKind.Litter) continue;
            if (name.Kind == ZipEntryKind.Refused) throw Reject(entry.FullName, name.Problem!);

            string className = name.ClassName;
            if (known is not null && !known.Contains(className))
                throw Reject(entry.FullName, $"is in folder '{className}', a class the training set does not have (its classes: {Listing(like!.ClassNames)})");
            if (!perClass.ContainsKey(className))
            {
                if (perClass.Count == _limits.MaxClasses)
                    throw Reject(Invariant($"has more than {_limits.MaxClasses} class folders; a dataset has at most {_limits.MaxClasses} classes"));
                perClass.Add(className, 0);
            }
            if (name.Kind == ZipEntryKind.ClassFolder) continue;

            CheckDeclaredSize(entry);
            declared += entry.Length;
            if (declared > _limits.MaxExpandedBytes)
                throw Reject($"would inflate to more than {DatasetRules.Size(_limits.MaxExpandedBytes)}, the most a dataset may take", 413);
            if (images.Count == _limits.MaxImages)
                throw DatasetRules.TooManyImages(_field, _fileName, Invariant($"holds more than {_limits.MaxImages:N0} images"), _limits);

            perClass[className]++;
            images.Add((entry, className));
            largest = Math.Max(largest, entry.Length);
        }

        // One byte past the largest declared size, so an entry inflating beyond its declared size would
        // show. (.NET stops inflating at the declared size; the checksum catches what it cut off.)
        _encoded = new byte[largest + 1];

        string[] classNames;
        if (like is null)
        {
            classNames = [.. perClass.Keys];
            Array.Sort(classNames, StringComparer.Ordinal);
            if (classNames.Length == 0)
                throw Reject("holds no images; put them in one folder per class (class/file.png)");
            if (classNames.Length == 1)
                throw DatasetRules.OneClassOnly(_field, _fileName, $"every image is in folder '{classNames[0]}'");
            foreach (string className in classNames)
            {
                if (perClass[className] == 0)
                    throw Reject($"empty class '{className}': the folder holds no PNG or JPEG images");
            }
        }
        else
        {
            // A validation set may lack a class: it is then not measured on it.
            classNames = [.. like.ClassNames];
            if (images.Count == 0)
                throw Reject("holds no images; put them in folders named for the training set's classes (class/file.png)");
        }

        var counts = new int[classNames.Length];
        for (int i = 0; i < classNames.Length; i++)
            counts[i] = perClass.GetValueOrDefault(classNames[i]);
        return (images, classNames, counts);
    }

    private void CheckDeclaredSize(ZipArchiveEntry entry)
    {
        long length = entry.Length;
        long compressed = entry.CompressedLength;
        // Encoded images barely compress; an entry that shrank by hundreds is not an image but a bomb.
        // A zero compressed size with data behind it cannot be honest either.
        if (length > 0 && (compressed == 0 || length > (long)_limits.MaxCompressionRatio * compressed))
        {
            string ratio = compressed == 0 ? "from nothing" : Invariant($"{length / compressed:N0} times over");
            throw Reject(entry.FullName, Invariant(
                $"would inflate {ratio} ({DatasetRules.Size(compressed)} to {DatasetRules.Size(length)}); an image never shrinks more than {_limits.MaxCompressionRatio} times, so this is refused as a zip bomb"));
        }
        if (length > _limits.MaxImageBytes)
            throw Reject(entry.FullName, $"is {DatasetRules.Size(length)}; an image file may be at most {DatasetRules.Size(_limits.MaxImageBytes)}", 413);
    }

    /// <summary>Pass 1b: every header, for the one size and whether any image has colour.</summary>
    private ImageShape ReadShape(List<(ZipArchiveEntry Entry, string ClassName)> images, int? channels, ZipImageSet? like)
    {
        int width = like?.Shape.Width ?? 0;
        int height = like?.Shape.Height ?? 0;
        string? first = null;
        bool allGray = true;
        foreach (var (entry, _) in images)
        {
            using SKData data = SKData.CreateCopy(ReadEntry(entry, verify: true));
            using SKCodec codec = OpenCodec(entry, data);
            SKImageInfo info = codec.Info;
            if (!DatasetRules.SidesFit(_limits, info.Height, info.Width))
                throw Reject(entry.FullName, Invariant($"is {info.Width}×{info.Height}; {DatasetRules.SidesRule(_limits)}"));
            if (like is null && first is null)
            {
                (first, width, height) = (entry.FullName, info.Width, info.Height);
            }
            else if (info.Width != width || info.Height != height)
            {
                throw like is null
                    ? Reject(entry.FullName, Invariant($"is {info.Width}×{info.Height} but the first image, '{first}', is {width}×{height}; every image must have one size"))
                    : Reject(entry.FullName, Invariant($"is {info.Width}×{info.Height} but the training images are {width}×{height}; validation images must have their size"));
            }
            allGray &= info.ColorType == SKColorType.Gray8;
        }

        // A validation set takes the training set's channels: the network has one input layout.
        ImageShape shape = like?.Shape ?? new ImageShape(channels ?? (allGray ? 1 : 3), height, width);
        if ((long)images.Count * shape.Pixels > _limits.MaxExpandedBytes)
            throw DatasetRules.TooManyDecodedBytes(_field, _fileName, images.Count, shape, _limits);
        return shape;
    }

    /// <summary>Pass 2: each image decoded, made planar and handed on.</summary>
    private void Decode(List<(ZipArchiveEntry Entry, string ClassName)> images, string[] classNames, ImageShape shape, ISampleSink sink)
    {
        var labels = new Dictionary<string, int>(classNames.Length, StringComparer.Ordinal);
        for (int i = 0; i < classNames.Length; i++) labels.Add(classNames[i], i);

        // Decoded as premultiplied RGBA whatever the file holds: Skia converts gray and palette images to
        // it, but cannot decode colour straight to gray, which a forced 1 channel needs.
        using var decoded = new SKBitmap();
        var rgba = new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        if (!decoded.TryAllocPixels(rgba, rgba.RowBytes))
            throw new InvalidOperationException(Invariant($"Could not allocate a {shape.Width}×{shape.Height} bitmap."));
        var planar = new byte[shape.Pixels];

        foreach (var (entry, className) in images)
        {
            // Pass 1 checked these bytes' checksum.
            using SKData data = SKData.CreateCopy(ReadEntry(entry, verify: false));
            using SKCodec codec = OpenCodec(entry, data);
            SKCodecResult result = codec.GetPixels(decoded.Info, decoded.GetPixels());
            // A partial decode leaves rows blank; training on half an image teaches the wrong thing.
            if (result == SKCodecResult.IncompleteInput)
                throw Reject(entry.FullName, "is truncated: only part of the image could be decoded");
            if (result != SKCodecResult.Success)
                throw Reject(entry.FullName, $"could not be decoded ({result})");
            RgbaToPlanar.Convert(decoded.GetPixelSpan(), planar, shape.Channels);
            sink.Add(planar, labels[className]);
        }
    }

    /// <summary>
    /// The entry's bytes, refused unless they are exactly what the central directory declares: its size
    /// and, when <paramref name="verify"/>, its checksum (declared sizes can lie).
    /// </summary>
    private ReadOnlySpan<byte> ReadEntry(ZipArchiveEntry entry, bool verify)
    {
        long declared = entry.Length;
        if (declared == 0) throw Reject(entry.FullName, "is empty");
        int limit = (int)declared + 1;
        try
        {
            using Stream stream = entry.Open();
            int read = stream.ReadAtLeast(_encoded.AsSpan(0, limit), limit, throwOnEndOfStream: false);
            if (read > declared)
                throw Reject(entry.FullName, $"inflates past the {DatasetRules.Size(declared)} the zip declares for it; refused as a zip bomb");
            if (read < declared)
                throw Reject(entry.FullName, Invariant($"inflates to {read:N0} bytes, not the {declared:N0} the zip declares; the zip is damaged"));
            ReadOnlySpan<byte> bytes = _encoded.AsSpan(0, read);
            if (verify && System.IO.Hashing.Crc32.HashToUInt32(bytes) != entry.Crc32)
                throw Reject(entry.FullName, "does not match the checksum the zip declares for it: its data is damaged, or longer than its declared size, as in a zip bomb; refused");
            return bytes;
        }
        catch (InvalidDataException e)
        {
            throw Reject(entry.FullName, $"could not be inflated ({e.Message}); a size that does not match its data is refused as a possible zip bomb");
        }
        catch (NotSupportedException e)
        {
            throw Reject(entry.FullName, $"could not be read ({e.Message}); store or deflate images without encryption");
        }
    }

    private SKCodec OpenCodec(ZipArchiveEntry entry, SKData data)
    {
        SKCodec codec = SKCodec.Create(data)
            ?? throw Reject(entry.FullName, "is not a PNG or JPEG image: its bytes do not decode as one");
        if (codec.EncodedFormat is SKEncodedImageFormat.Png or SKEncodedImageFormat.Jpeg) return codec;
        SKEncodedImageFormat format = codec.EncodedFormat;
        codec.Dispose();
        throw Reject(entry.FullName, $"is not a PNG or JPEG image but {format}");
    }

    private static string Listing(IReadOnlyList<string> names)
    {
        const int shown = 10;
        string listed = string.Join(", ", names.Take(shown));
        return names.Count > shown ? Invariant($"{listed} and {names.Count - shown} more") : listed;
    }

    private DatasetRejectedException Reject(string entryName, string problem, int statusCode = 400) =>
        new(_field, $"{_fileName}: '{entryName}' {problem}.", statusCode);

    private DatasetRejectedException Reject(string problem, int statusCode = 400) =>
        new(_field, $"{_fileName}: {problem}.", statusCode);
}
