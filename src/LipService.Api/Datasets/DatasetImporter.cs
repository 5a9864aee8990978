using System.Globalization;
using LipService.Api.Storage;
using LipService.Training.Data;
using Microsoft.Extensions.Options;

namespace LipService.Api.Datasets;

/// <summary>
/// Turns a received upload into a stored dataset: tells its format, reads its settings, parses it
/// into the store chunk by chunk, and describes it. A failed import leaves no row behind.
/// </summary>
internal sealed class DatasetImporter(IDatasetCatalog catalog, IOptions<DatasetOptions> options, TimeProvider time)
{
    /// <summary>The dataset, and whether this upload created it (false: the same upload was stored before).</summary>
    /// <exception cref="DatasetRejectedException">The upload cannot become a dataset; nothing was kept.</exception>
    public async Task<(DatasetRecord Dataset, bool Created)> ImportAsync(DatasetUpload upload, CancellationToken cancellationToken)
    {
        var format = DatasetFormats.Detect(upload);
        var settings = DatasetSettings.Read(upload, format);
        string id = upload.Id(settings.Canonical);
        if (await catalog.GetDatasetAsync(id, cancellationToken) is { } existing) return (existing, false);
        if (!await catalog.BeginDatasetAsync(id, settings.Name, format.ToName(), upload.TotalBytes, cancellationToken))
            throw new DatasetRejectedException(DatasetUpload.FileField, $"The same upload is being stored right now as {id}; ask GET /datasets/{id} in a moment.", StatusCodes.Status409Conflict);
        try
        {
            var writer = new DatasetChunkWriter(catalog, id, cancellationToken) { ValidationFraction = settings.ValidationFraction };
            // Parsing and decoding are CPU work on a synchronous reader: off the request's thread.
            var (shape, classNames) = await Task.Run(() => Parse(upload, format, settings, writer), cancellationToken);
            var dataset = Describe(id, settings, format, upload, shape, classNames, writer);
            await catalog.CompleteDatasetAsync(dataset, cancellationToken);
            return (await catalog.GetDatasetAsync(id, cancellationToken) ?? dataset, true);
        }
        catch
        {
            await catalog.DiscardDatasetUploadAsync(id, CancellationToken.None);
            throw;
        }
    }

    private (ImageShape Shape, IReadOnlyList<string>? ClassNames) Parse(DatasetUpload upload, DatasetFormat format, DatasetSettings settings, DatasetChunkWriter writer)
    {
        var limits = options.Value;
        var file = upload.File(DatasetUpload.FileField)!;
        var validation = upload.File(DatasetUpload.ValidationField);
        ImageShape shape;
        IReadOnlyList<string>? classNames = null;
        switch (format)
        {
            case DatasetFormat.Zip:
                var set = ZipImageFolderReader.Read(file.Path, file.Field, file.FileName, limits, settings.Channels, null, writer);
                (shape, classNames) = (set.Shape, set.ClassNames);
                writer.ValidationFraction = 1;
                if (validation is not null) ZipImageFolderReader.Read(validation.Path, validation.Field, validation.FileName, limits, settings.Channels, set, Together(validation, set.Shape, writer));
                break;
            case DatasetFormat.Idx:
                var labels = upload.File(DatasetUpload.LabelsField)!;
                shape = IdxUploadReader.Read(file.Path, file.Field, file.FileName, labels.Path, labels.Field, labels.FileName, limits, null, writer).Shape;
                writer.ValidationFraction = 1;
                if (validation is not null && upload.File(DatasetUpload.ValidationLabelsField) is { } validationLabels)
                    IdxUploadReader.Read(validation.Path, validation.Field, validation.FileName, validationLabels.Path, validationLabels.Field, validationLabels.FileName, limits, shape, Together(validation, shape, writer));
                break;
            default:
                shape = CsvUploadReader.Read(file.Path, file.Field, file.FileName, limits, settings.Layout, writer).Shape;
                writer.ValidationFraction = 1;
                if (validation is not null) CsvUploadReader.Read(validation.Path, validation.Field, validation.FileName, limits, shape, Together(validation, shape, writer));
                break;
        }
        writer.Finish();
        return (shape, classNames);
    }

    /// <summary>
    /// The sink for a validation file: each file is held to the image and size limits on its own by its
    /// reader; this holds the two together to them.
    /// </summary>
    private ISampleSink Together(UploadedFile validation, ImageShape shape, DatasetChunkWriter writer)
    {
        var limits = options.Value;
        int training = writer.Count(DatasetChunkWriter.TrainingSplit) + writer.Count(DatasetChunkWriter.ValidationSplit);
        return new LimitedSink(writer, Math.Min(limits.MaxImages, limits.MaxExpandedBytes / shape.Pixels) - training,
            () => new DatasetRejectedException(validation.Field,
                $"{validation.FileName}: with the training file's {training:N0} images, more than a dataset may hold "
                + $"({limits.MaxImages:N0} images, {DatasetRules.Size(limits.MaxExpandedBytes)} of pixels).", StatusCodes.Status413PayloadTooLarge));
    }

    private DatasetRecord Describe(string id, DatasetSettings settings, DatasetFormat format, DatasetUpload upload, ImageShape shape, IReadOnlyList<string>? classNames, DatasetChunkWriter writer)
    {
        string fileName = upload.File(DatasetUpload.FileField)!.FileName;
        var classes = new List<DatasetClass>();
        foreach (var (label, counts) in writer.Counts.OrderBy(c => c.Key))
        {
            string name = classNames is not null ? classNames[label] : label.ToString(CultureInfo.InvariantCulture);
            if (counts[DatasetChunkWriter.TrainingSplit] == 0)
            {
                throw new DatasetRejectedException(DatasetUpload.ValidationField,
                    $"'{upload.File(DatasetUpload.ValidationField)?.FileName}' has class '{name}', which '{fileName}' has no training images of; validation classes must be training classes.");
            }
            classes.Add(new DatasetClass(label, name, counts[DatasetChunkWriter.TrainingSplit], counts[DatasetChunkWriter.ValidationSplit]));
        }
        int validationCount = writer.Count(DatasetChunkWriter.ValidationSplit);
        if (validationCount == 0)
        {
            throw new DatasetRejectedException(DatasetUpload.ValidationFractionField,
                $"'{fileName}' leaves no validation images at validationFraction {settings.ValidationFraction.ToString(CultureInfo.InvariantCulture)}: certificates are measured on them. Send more images per class or a validation file.");
        }
        var thumbnails = writer.Thumbnails.Select(t => new DatasetThumbnail(t.Label, ThumbnailEncoder.Png(t.Pixels, shape))).ToList();
        return new DatasetRecord(id, settings.Name, format.ToName(), time.GetUtcNow(), shape, classes,
            writer.Count(DatasetChunkWriter.TrainingSplit), validationCount, upload.TotalBytes, writer.StoredBytes, thumbnails);
    }
}
