using System.Globalization;
using LipService.Training.Data;

namespace LipService.Api.Datasets;

/// <summary>The form fields of an upload, read and checked against each other and the format.</summary>
/// <param name="ValidationFraction">The share of each class held out for validation; 0 when a validation file came.</param>
/// <param name="Channels">A zip's forced channel count (1 converts to grayscale, 3 to RGB); null to follow the images.</param>
/// <param name="Layout">A CSV's image shape when its rows are not square grayscale images.</param>
internal sealed record DatasetSettings(string Name, double ValidationFraction, int? Channels, ImageShape? Layout)
{
    public const double DefaultValidationFraction = 0.2;
    public const double MaxValidationFraction = 0.5;
    public const int MaxNameLength = 100;

    /// <summary>What the id covers besides the files: everything that changes the stored samples, in one spelling.</summary>
    public string Canonical => string.Create(CultureInfo.InvariantCulture,
        $"validationFraction={ValidationFraction:R}\nchannels={Channels}\nlayout={Layout?.Channels}x{Layout?.Height}x{Layout?.Width}\n");

    /// <exception cref="DatasetRejectedException">A field that is malformed, out of range or meaningless for the format.</exception>
    public static DatasetSettings Read(DatasetUpload upload, DatasetFormat format)
    {
        var file = upload.File(DatasetUpload.FileField)!;
        string name = upload.Field(DatasetUpload.NameField) is { Length: > 0 } given ? given : Path.GetFileNameWithoutExtension(file.FileName);
        if (name.Length > MaxNameLength) throw new DatasetRejectedException(DatasetUpload.NameField, $"name must be at most {MaxNameLength} characters (got {name.Length}).");

        bool validationFile = upload.File(DatasetUpload.ValidationField) is not null;
        if (format == DatasetFormat.Idx && validationFile != (upload.File(DatasetUpload.ValidationLabelsField) is not null))
            throw new DatasetRejectedException(DatasetUpload.ValidationLabelsField, "IDX validation images need their labels: send both 'validation' and 'validationLabels', or neither.");
        if (format != DatasetFormat.Idx && upload.File(DatasetUpload.ValidationLabelsField) is not null)
            throw new DatasetRejectedException(DatasetUpload.ValidationLabelsField, "'validationLabels' goes with IDX validation images only.");

        double fraction = validationFile ? 0 : DefaultValidationFraction;
        if (upload.Field(DatasetUpload.ValidationFractionField) is { } fractionText)
        {
            if (validationFile)
                throw new DatasetRejectedException(DatasetUpload.ValidationFractionField, "Give a validation file or a validationFraction, not both.");
            if (!double.TryParse(fractionText, NumberStyles.Float, CultureInfo.InvariantCulture, out fraction) || !(fraction > 0 && fraction <= MaxValidationFraction))
                throw new DatasetRejectedException(DatasetUpload.ValidationFractionField, $"validationFraction must be a number in (0, {MaxValidationFraction}] (got '{fractionText}').");
        }

        int? channels = Integer(upload, DatasetUpload.ChannelsField);
        if (channels is not (null or 1 or 3)) throw new DatasetRejectedException(DatasetUpload.ChannelsField, $"channels must be 1 or 3 (got {channels}).");
        if (format == DatasetFormat.Idx && channels is not null)
            throw new DatasetRejectedException(DatasetUpload.ChannelsField, "An IDX file's header gives its channels; channels applies to zip and CSV uploads.");

        int? height = Integer(upload, DatasetUpload.HeightField), width = Integer(upload, DatasetUpload.WidthField);
        ImageShape? layout = null;
        if (height is not null || width is not null)
        {
            if (format != DatasetFormat.Csv)
                throw new DatasetRejectedException(height is null ? DatasetUpload.WidthField : DatasetUpload.HeightField, "height and width apply to CSV uploads; zip and IDX images carry their size.");
            if (height is null || width is null)
                throw new DatasetRejectedException(height is null ? DatasetUpload.HeightField : DatasetUpload.WidthField, "Give both height and width (and channels when not 1).");
            layout = new ImageShape(channels ?? 1, height.Value, width.Value);
        }
        else if (format == DatasetFormat.Csv && channels is 3)
        {
            throw new DatasetRejectedException(DatasetUpload.HeightField, "A 3-channel CSV needs height and width too.");
        }
        return new DatasetSettings(name, fraction, format == DatasetFormat.Zip ? channels : null, layout);
    }

    private static int? Integer(DatasetUpload upload, string field)
    {
        if (upload.Field(field) is not { } text) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new DatasetRejectedException(field, $"{field} must be a whole number (got '{text}').");
    }
}
