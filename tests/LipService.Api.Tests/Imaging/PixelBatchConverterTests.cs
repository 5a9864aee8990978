using System.Globalization;
using System.Text;
using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Api.Imaging;

namespace LipService.Api.Tests.Imaging;

/// <summary>
/// The pixel reader uses csFastFloat instead of the BCL: it must give the very float the BCL's
/// correctly rounded parse gives, for the ways clients write numbers.
/// </summary>
public class PixelBatchConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new PixelBatchConverter() } };

    public static TheoryData<string> Formats => new() { "G9", "R", "F6", "G6", "E3", "0.################" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void NumbersParseToTheSameFloatAsTheBcl(string format)
    {
        var random = new Random(format.GetHashCode(StringComparison.Ordinal));
        var written = new string[784 * 8];
        for (int i = 0; i < written.Length; i++)
        {
            // Pixel-like values, with exact 0 and 1 and values a byte apart among them.
            double value = (i % 7) switch { 0 => 0, 1 => 1, 2 => random.Next(256) / 255.0, _ => random.NextDouble() };
            written[i] = value.ToString(format, CultureInfo.InvariantCulture);
        }
        var json = new StringBuilder("[");
        for (int image = 0; image < 8; image++)
        {
            if (image > 0) json.Append(',');
            json.Append('[').Append(string.Join(',', written.AsSpan(image * 784, 784).ToArray())).Append(']');
        }
        json.Append(']');

        var batch = JsonSerializer.Deserialize<PixelBatch>(json.ToString(), Options)!;
        Assert.Equal(8, batch.Count);
        for (int i = 0; i < written.Length; i++)
        {
            float expected = float.Parse(written[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(batch.Image(i / 784)[i % 784]),
                $"'{written[i]}': BCL {expected:R}, reader {batch.Image(i / 784)[i % 784]:R}");
        }
    }

    [Theory]
    [InlineData("1e39")]   // beyond float: the BCL gives infinity, which is no pixel
    [InlineData("-1e39")]
    public void NumbersBeyondFloatAreRefused(string number)
    {
        string json = "[[" + string.Join(',', Enumerable.Repeat("0", 783)) + "," + number + "]]";
        var error = Assert.Throws<PixelFormatException>(() => JsonSerializer.Deserialize<PixelBatch>(json, Options));
        Assert.Equal("images[0][783]", error.Field);
    }
}
