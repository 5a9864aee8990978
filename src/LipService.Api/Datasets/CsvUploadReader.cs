using System.Text;
using LipService.Training.Data;
using nietras.SeparatedValues;
using static System.FormattableString;

namespace LipService.Api.Datasets;

/// <summary>
/// Reads an uploaded CSV, a row per image (<c>label,pixel0,…,pixelN</c>, an optional header first), into
/// samples, a row at a time.
/// </summary>
/// <remarks>
/// Rows are checked as they are read, so a fault found on line 9 comes after 7 samples reached the sink:
/// the caller discards what it gathered when this throws.
/// </remarks>
public sealed class CsvUploadReader
{
    private const int MaxValueShown = 20;

    private readonly string _field;
    private readonly string _fileName;
    private readonly DatasetOptions _limits;
    private readonly ImageShape? _layout;

    private string[]? _header;
    private int _fields;
    private int _fieldsLine;
    private ImageShape _shape;
    private byte[] _stored = [];
    private byte[] _planar = [];

    private CsvUploadReader(string field, string fileName, DatasetOptions limits, ImageShape? layout)
    {
        _field = field;
        _fileName = fileName;
        _limits = limits;
        _layout = layout;
    }

    /// <param name="layout">From the form's height, width and channels, for rows that are not one square
    /// gray image; a row's 3-channel pixels are interleaved (RGBRGB…), as numpy's <c>reshape(-1)</c> of
    /// an H×W×3 array lays them out.</param>
    /// <exception cref="DatasetRejectedException">Anything in the file that keeps it from being a dataset.</exception>
    public static CsvImageSet Read(string path, string field, string fileName, DatasetOptions limits, ImageShape? layout, ISampleSink sink)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(sink);
        if (layout is { } given) CheckLayout(given, fileName, limits);

        var reader = new CsvUploadReader(field, fileName, limits, layout);
        int maxValues = layout?.Pixels ?? limits.MaxSide * limits.MaxSide * 3;
        int maxLine = LineLengthGuard.LimitFor(maxValues + 1);
        try
        {
            var file = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true,
                new FileStreamOptions { Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 1 << 16 });
            using var guarded = new LineLengthGuard(file, maxLine, line => reader.Reject(line,
                Invariant($"is longer than {maxLine:N0} characters; a row is a label and at most {maxValues:N0} pixel values")));
            // Pixels are plain numbers: quotes are not parsed, so a stray one cannot make the rest of the file one row.
            using SepReader csv = Sep.New(',').Reader(o => o with
            {
                HasHeader = false,
                DisableColCountCheck = true,
                DisableQuotesParsing = true,
            }).From(guarded);
            return reader.ReadRows(csv, sink);
        }
        catch (InvalidDataException e)
        {
            throw reader.Reject($"could not be read as CSV ({e.Message})");
        }
        catch (EndOfStreamException e)
        {
            throw reader.Reject($"ends early ({e.Message})");
        }
    }

    private static void CheckLayout(ImageShape layout, string fileName, DatasetOptions limits)
    {
        if (layout.Channels is not (1 or 3))
            throw new DatasetRejectedException("channels", Invariant($"{fileName}: channels is {layout.Channels}; images have 1 channel (gray) or 3 (RGB)."));
        if (!DatasetRules.SidesFit(limits, layout.Height, layout.Width))
        {
            string field = layout.Height < limits.MinSide || layout.Height > limits.MaxSide ? "height" : "width";
            throw new DatasetRejectedException(field, Invariant($"{fileName}: height × width is {layout.Height}×{layout.Width}; {DatasetRules.SidesRule(limits)}."));
        }
    }

    private CsvImageSet ReadRows(SepReader csv, ISampleSink sink)
    {
        var seen = new bool[_limits.MaxClasses];
        int distinct = 0;
        int firstLabel = 0;
        int count = 0;
        foreach (SepReader.Row row in csv)
        {
            // Blank lines, a trailing one above all, are no row.
            if (row.Span.IsWhiteSpace()) continue;
            // Without quotes a row is one line. (Sep 0.18 numbers the first row line 2 when it is not read as a header.)
            int line = row.RowIndex + 1;
            if (_fields == 0)
            {
                _fields = row.ColCount;
                _fieldsLine = line;
                Layout(line);
                if (!LooksInteger(row[0].Span))
                {
                    // A first row that does not start with a number names the columns.
                    _header = row[0..row.ColCount].ToStringsArray();
                    continue;
                }
            }
            else if (row.ColCount != _fields)
            {
                throw _header is null
                    ? Reject(line, Invariant($"has {row.ColCount} fields; line {_fieldsLine} had {_fields}, and every row must have as many (a label, then the pixels)"))
                    : Reject(line, Invariant($"has {row.ColCount} fields; the header, line {_fieldsLine}, has {_fields}, and every row must have as many (a label, then the pixels)"));
            }

            ReadOnlySpan<char> labelText = row[0].Span;
            int label = ParseSmall(labelText);
            if (label < 0 || label >= _limits.MaxClasses)
            {
                string problem = LooksInteger(labelText) ? "is out of range" : "is not an integer";
                throw Reject(Invariant($"line {line}: label '{Shown(labelText)}' {problem}; {DatasetRules.LabelsRule(_limits)}"));
            }

            for (int i = 1; i < _fields; i++)
            {
                ReadOnlySpan<char> text = row[i].Span;
                int value = ParseSmall(text);
                if (value is < 0 or > 255)
                    throw Reject(Invariant($"line {line}, column {Column(i)}: '{Shown(text)}' is not an integer 0–255"));
                _stored[i - 1] = (byte)value;
            }

            count++;
            if (count > _limits.MaxImages)
                throw DatasetRules.TooManyImages(_field, _fileName, Invariant($"has more than {_limits.MaxImages:N0} rows"), _limits);
            if ((long)count * _shape.Pixels > _limits.MaxExpandedBytes)
                throw DatasetRules.TooManyDecodedBytes(_field, _fileName, count, _shape, _limits);
            if (!seen[label])
            {
                if (distinct == 0) firstLabel = label;
                seen[label] = true;
                distinct++;
            }

            if (_shape.Channels != 1) InterleavedToPlanar.Convert(_stored, _planar, _shape.Channels);
            sink.Add(_planar, label);
        }

        if (_fields == 0) throw Reject("is empty; each row must be a label and then the pixels");
        if (count == 0) throw Reject("has a header but no rows of data");
        if (distinct < 2) throw DatasetRules.OneClassOnly(_field, _fileName, Invariant($"every row has label {firstLabel}"));
        return new CsvImageSet(_shape, count);
    }

    /// <summary>The shape the first row's field count gives, with the buffers it needs.</summary>
    private void Layout(int line)
    {
        int pixels = _fields - 1;
        if (pixels == 0)
            throw Reject(line, "has one field only; each row must be a label and then the pixels, separated by commas");
        if (_layout is { } layout)
        {
            if (pixels != layout.Pixels)
                throw Reject(line, Invariant($"has {pixels:N0} pixel values after the label, but images of {layout} (the height, width and channels given) have {layout.Pixels:N0}"));
            _shape = layout;
        }
        else
        {
            int side = (int)Math.Sqrt(pixels);
            while (side * side > pixels) side--;
            while ((side + 1) * (side + 1) <= pixels) side++;
            if (side * side != pixels)
                throw Reject(line, Invariant($"has {pixels:N0} pixel values after the label, not a square number; for images that are not square and gray, give height, width and channels"));
            if (!DatasetRules.SidesFit(_limits, side, side))
                throw Reject(line, Invariant($"has {pixels:N0} pixel values after the label, {side}×{side} images; {DatasetRules.SidesRule(_limits)}"));
            _shape = new ImageShape(1, side, side);
        }
        _stored = new byte[_shape.Pixels];
        _planar = _shape.Channels == 1 ? _stored : new byte[_shape.Pixels];
    }

    /// <summary>A non-negative integer of at most 6 digits, spaces around it allowed; -1 for anything else.</summary>
    private static int ParseSmall(ReadOnlySpan<char> text)
    {
        text = text.Trim(" \t");
        if (text.IsEmpty || text.Length > 6) return -1;
        int value = 0;
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return -1;
            value = (value * 10) + (c - '0');
        }
        return value;
    }

    /// <summary>Whether a first field is a number (so the row is data) rather than a column name.</summary>
    private static bool LooksInteger(ReadOnlySpan<char> text)
    {
        text = text.Trim(" \t");
        if (!text.IsEmpty && text[0] is '-' or '+') text = text[1..];
        return !text.IsEmpty && !text.ContainsAnyExcept("0123456789");
    }

    private string Column(int index) =>
        _header is not null ? $"'{Shown(_header[index])}'" : Invariant($"{index + 1}");

    private static string Shown(ReadOnlySpan<char> text) =>
        text.Length <= MaxValueShown ? text.ToString() : string.Concat(text[..MaxValueShown], "…");

    private DatasetRejectedException Reject(long line, string problem) =>
        new(_field, Invariant($"{_fileName}: line {line} {problem}."));

    private DatasetRejectedException Reject(string problem) =>
        new(_field, $"{_fileName}: {problem}.");
}
