using System.Text;
using LipService.Api.Datasets;
using LipService.Training.Data;

namespace LipService.Api.Tests.Datasets;

/// <summary>CSV uploads, a row per image: what the reader makes of them, and what it refuses by line.</summary>
public sealed class CsvUploadReaderTests : IDisposable
{
    private readonly DatasetFiles _files = new();
    private readonly CollectingSink _sink = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Pixel <paramref name="i"/> of row <paramref name="row"/>, as the generated files hold it.</summary>
    private static int Value(int row, int i) => ((row * 31) + (i * 7)) % 256;

    private static string Header(int pixels) =>
        "label," + string.Join(",", Enumerable.Range(0, pixels).Select(i => $"pixel{i}"));

    private static string Row(int row, int label, int pixels) =>
        $"{label}," + string.Join(",", Enumerable.Range(0, pixels).Select(i => Value(row, i)));

    private static string Csv(params string[] lines) => string.Join("\n", lines) + "\n";

    private CsvImageSet Read(string text, ImageShape? layout = null, DatasetOptions? limits = null) =>
        CsvUploadReader.Read(_files.WriteText("data.csv", text), "file", "data.csv", limits ?? new DatasetOptions(), layout, _sink);

    private DatasetRejectedException Refused(string text, int status = 400, ImageShape? layout = null, DatasetOptions? limits = null)
    {
        var error = Assert.Throws<DatasetRejectedException>(() => Read(text, layout, limits));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal("file", error.Field);
        Assert.StartsWith("data.csv: ", error.Message, StringComparison.Ordinal);
        return error;
    }

    [Fact]
    public void ARowPerImageWithAHeaderIsRead()
    {
        CsvImageSet set = Read(Csv(Header(64), Row(0, 0, 64), Row(1, 1, 64), Row(2, 2, 64)));

        Assert.Equal(new ImageShape(1, 8, 8), set.Shape);
        Assert.Equal(3, set.Count);
        Assert.Equal([0, 1, 2], _sink.Samples.Select(s => s.Label));
        Assert.Equal(Value(1, 13), _sink.Samples[1].Pixels[13]);
    }

    [Fact]
    public void ARowPerImageWithoutHeaderIsRead()
    {
        // Windows line ends, spaces after commas and a blank last line are all usual in hand-made files.
        string text = Row(0, 3, 100).Replace(",", ", ", StringComparison.Ordinal) + "\r\n" + Row(1, 7, 100) + "\r\n\r\n";

        CsvImageSet set = Read(text);

        Assert.Equal(new ImageShape(1, 10, 10), set.Shape);
        Assert.Equal([3, 7], _sink.Samples.Select(s => s.Label));
        Assert.Equal(Value(0, 99), _sink.Samples[0].Pixels[99]);
    }

    [Fact]
    public void ColourRowsWithALayoutAreTurnedToPlanes()
    {
        // 8 high, 9 wide, 3 channels: a row holds pixel (y, x)'s red, green, blue side by side.
        var layout = new ImageShape(3, 8, 9);
        CsvImageSet set = Read(Csv(Row(0, 0, 216), Row(1, 1, 216)), layout);

        Assert.Equal(layout, set.Shape);
        byte[] second = _sink.Samples[1].Pixels;
        int pixel = (5 * 9) + 2;
        for (int c = 0; c < 3; c++)
            Assert.Equal(Value(1, (3 * pixel) + c), second[(c * 72) + pixel]);
    }

    [Fact]
    public void ARaggedRowIsRefusedByLine()
    {
        var error = Refused(Csv(Row(0, 0, 64), Row(1, 1, 64), Row(2, 1, 65)));
        Assert.Equal("data.csv: line 3 has 66 fields; line 1 had 65, and every row must have as many (a label, then the pixels).", error.Message);
    }

    [Fact]
    public void ARowShorterThanTheHeaderIsRefusedByLine()
    {
        var error = Refused(Csv(Header(64), Row(0, 0, 64), Row(1, 1, 63)));
        Assert.Contains("line 3 has 64 fields; the header, line 1, has 65", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("3.5")]
    [InlineData("256")]
    [InlineData("-1")]
    [InlineData("")]
    public void AValueThatIsNoPixelIsRefusedByLineAndColumn(string value)
    {
        string bad = Row(1, 1, 64);
        string[] fields = bad.Split(',');
        fields[13] = value;
        var error = Refused(Csv(Header(64), Row(0, 0, 64), string.Join(",", fields)));
        Assert.Equal($"data.csv: line 3, column 'pixel12': '{value}' is not an integer 0–255.", error.Message);
    }

    [Fact]
    public void WithoutHeaderTheColumnIsNumbered()
    {
        string[] fields = Row(1, 1, 64).Split(',');
        fields[13] = "x";
        var error = Refused(Csv(Row(0, 0, 64), string.Join(",", fields)));
        Assert.Equal("data.csv: line 2, column 14: 'x' is not an integer 0–255.", error.Message);
    }

    [Fact]
    public void ALabelOutOfRangeIsRefused()
    {
        var error = Refused(Csv(Header(64), Row(0, 0, 64), Row(1, 150, 64)));
        Assert.Equal("data.csv: line 3: label '150' is out of range; labels must be 0–99.", error.Message);
    }

    [Fact]
    public void ALabelThatIsNoNumberIsRefused()
    {
        var error = Refused(Csv(Row(0, 0, 64), "cat," + Row(1, 1, 64)[2..]));
        Assert.Equal("data.csv: line 2: label 'cat' is not an integer; labels must be 0–99.", error.Message);
    }

    [Fact]
    public void ANonSquareRowWithoutLayoutIsRefused()
    {
        var error = Refused(Csv(Row(0, 0, 50), Row(1, 1, 50)));
        Assert.Contains("line 1 has 50 pixel values after the label, not a square number", error.Message, StringComparison.Ordinal);
        Assert.Contains("give height, width and channels", error.Message, StringComparison.Ordinal);
        Assert.Empty(_sink.Samples);
    }

    [Fact]
    public void ARowNotMatchingTheLayoutIsRefused()
    {
        var error = Refused(Csv(Row(0, 0, 64), Row(1, 1, 64)), layout: new ImageShape(3, 8, 8));
        Assert.Contains("line 1 has 64 pixel values after the label, but images of 8×8, 3 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SidesOutsideTheLimitsAreRefused()
    {
        var error = Refused(Csv(Row(0, 0, 16), Row(1, 1, 16)));
        Assert.Equal("data.csv: line 1 has 16 pixel values after the label, 4×4 images; images must be 64×64 at most, 8×8 at least.", error.Message);
    }

    [Fact]
    public void ALayoutOutsideTheLimitsIsRefusedUnderItsField()
    {
        var error = Assert.Throws<DatasetRejectedException>(() => Read(Csv(Row(0, 0, 64)), new ImageShape(1, 8, 100)));
        Assert.Equal("width", error.Field);
        Assert.Contains("data.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneClassOnlyIsRefused()
    {
        var error = Refused(Csv(Row(0, 4, 64), Row(1, 4, 64)));
        Assert.Contains("one class only: every row has label 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyFileIsRefused()
    {
        var error = Refused("");
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderWithoutRowsIsRefused()
    {
        var error = Refused(Csv(Header(64)));
        Assert.Contains("has a header but no rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MoreRowsThanMaxImagesIs413()
    {
        var error = Refused(Csv(Row(0, 0, 64), Row(1, 1, 64), Row(2, 2, 64)), 413, limits: new DatasetOptions { MaxImages = 2 });
        Assert.Contains("has more than 2 rows; a dataset may hold at most 2 images", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEndlessLineIsRefusedWithoutReadingItWhole()
    {
        // With 8×8 sides at most, no row needs more than a few thousand characters.
        var text = new StringBuilder(Row(0, 0, 64)).Append('\n').Append('1', 200_000).Append('\n').ToString();
        var error = Refused(text, limits: new DatasetOptions { MaxSide = 8 });
        Assert.Contains("line 2 is longer than", error.Message, StringComparison.Ordinal);
    }
}
