namespace LipService.Api.Datasets;

/// <summary>The three forms an upload may take.</summary>
public enum DatasetFormat
{
    /// <summary>A zip of one folder per class holding PNG or JPEG files.</summary>
    Zip,

    /// <summary>An IDX images file and an IDX labels file, each optionally gzip-compressed.</summary>
    Idx,

    /// <summary>A CSV of <c>label,pixel0,…</c> rows.</summary>
    Csv,
}

internal static class DatasetFormats
{
    public static string ToName(this DatasetFormat format) => format switch
    {
        DatasetFormat.Zip => "zip",
        DatasetFormat.Idx => "idx",
        _ => "csv",
    };

    /// <summary>Tells the format from the main file's first bytes and which parts came with it.</summary>
    public static DatasetFormat Detect(DatasetUpload upload)
    {
        var file = upload.File(DatasetUpload.FileField)!;
        byte[] head = file.Head(4);
        bool zip = head is [(byte)'P', (byte)'K', 3 or 5, 4 or 6];
        bool hasLabels = upload.File(DatasetUpload.LabelsField) is not null;
        if (zip)
        {
            if (hasLabels) throw new DatasetRejectedException(DatasetUpload.LabelsField, $"'{file.FileName}' is a zip, whose folders are its labels: send 'labels' with IDX images only.");
            return DatasetFormat.Zip;
        }
        if (hasLabels) return DatasetFormat.Idx;
        if (head is [0x1F, 0x8B, ..] || head is [0, 0, 8, 3 or 4])
        {
            throw new DatasetRejectedException(DatasetUpload.LabelsField,
                $"'{file.FileName}' looks like IDX images{(head[0] == 0x1F ? " (gzip-compressed)" : "")}: send their labels in a part named 'labels' (a CSV must be sent uncompressed).");
        }
        return DatasetFormat.Csv;
    }
}
