using System.Runtime.InteropServices;
using LipService.Training.Data;
using SkiaSharp;

namespace LipService.Api.Datasets;

/// <summary>PNG-encodes a stored sample (CHW bytes) at its own size, for the page's dataset view.</summary>
internal static class ThumbnailEncoder
{
    public static byte[] Png(ReadOnlySpan<byte> pixels, ImageShape shape)
    {
        int plane = shape.Height * shape.Width;
        using var bitmap = shape.Channels == 1
            ? new SKBitmap(new SKImageInfo(shape.Width, shape.Height, SKColorType.Gray8, SKAlphaType.Opaque))
            : new SKBitmap(new SKImageInfo(shape.Width, shape.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var target = bitmap.GetPixelSpan();
        if (shape.Channels == 1)
        {
            // Gray8 rows are packed when the width is a multiple of 4; copy row by row to honour the stride otherwise.
            for (int y = 0; y < shape.Height; y++) pixels.Slice(y * shape.Width, shape.Width).CopyTo(MemoryMarshal.AsBytes(target).Slice(y * bitmap.RowBytes, shape.Width));
        }
        else
        {
            for (int y = 0; y < shape.Height; y++)
            {
                var row = target.Slice(y * bitmap.RowBytes, shape.Width * 4);
                for (int x = 0; x < shape.Width; x++)
                {
                    int at = y * shape.Width + x;
                    row[x * 4] = pixels[at];
                    row[x * 4 + 1] = pixels[plane + at];
                    row[x * 4 + 2] = pixels[2 * plane + at];
                    row[x * 4 + 3] = 255;
                }
            }
        }
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
