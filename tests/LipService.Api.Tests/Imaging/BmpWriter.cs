using System.Buffers.Binary;
using SkiaSharp;

namespace LipService.Api.Tests.Imaging;

/// <summary>24-bit uncompressed BMP files (Skia decodes BMP but cannot encode it).</summary>
internal static class BmpWriter
{
    public static byte[] Write(SKBitmap bitmap)
    {
        int rowBytes = (bitmap.Width * 3 + 3) & ~3;
        int pixelBytes = rowBytes * bitmap.Height;
        var bmp = new byte[54 + pixelBytes];
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(2), bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(10), 54); // pixel data offset
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(14), 40); // BITMAPINFOHEADER
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), bitmap.Width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), bitmap.Height); // positive: rows stored bottom-up
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(26), 1); // planes
        BinaryPrimitives.WriteInt16LittleEndian(bmp.AsSpan(28), 24); // bits per pixel
        BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(34), pixelBytes);
        for (int y = 0; y < bitmap.Height; y++)
        {
            int row = 54 + (bitmap.Height - 1 - y) * rowBytes;
            for (int x = 0; x < bitmap.Width; x++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                bmp[row + x * 3] = c.Blue;
                bmp[row + x * 3 + 1] = c.Green;
                bmp[row + x * 3 + 2] = c.Red;
            }
        }
        return bmp;
    }
}
