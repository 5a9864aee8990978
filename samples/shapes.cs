#:package SkiaSharp
#:package SkiaSharp.NativeAssets.Linux.NoDependencies

// Draws a small labelled image set for trying LipService's "bring your own data": three classes of
// white shapes on black (circle, cross, triangle; also square), each filled and drawn at a random
// size, place and angle, saved as PNGs in one folder per class inside a zip, the layout POST /datasets takes.
// Run from the repository: the package versions come from its Directory.Packages.props.
//
//   dotnet run samples/shapes.cs -- shapes.zip [--per-class 300] [--size 32] [--seed 1] [--classes circle,cross,triangle]
using System.Globalization;
using System.IO.Compression;
using SkiaSharp;

string output = "shapes.zip";
int perClass = 300, size = 32, seed = 1;
string[] classes = ["circle", "cross", "triangle"];
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--per-class": perClass = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--size": size = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--classes": classes = args[++i].Split(','); break;
        default: output = args[i]; break;
    }
}

var random = new Random(seed);
using (var zip = ZipFile.Open(output, ZipArchiveMode.Create))
{
    foreach (string shape in classes)
    {
        for (int n = 0; n < perClass; n++)
        {
            var entry = zip.CreateEntry($"{shape}/{shape}-{n:D4}.png", CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.Write(Draw(shape, size, random));
        }
    }
}
Console.WriteLine($"{output}: {classes.Length} classes × {perClass} images of {size}×{size} (seed {seed})");

// One filled shape, its radius 30-45 % of the side, its centre within 10 % of the image's, at a random angle.
static byte[] Draw(string shape, int size, Random random)
{
    using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
    using (var canvas = new SKCanvas(bitmap))
    {
        canvas.Clear(SKColors.Black);
        float radius = size * (0.3f + 0.15f * random.NextSingle());
        float cx = size * (0.5f + 0.2f * (random.NextSingle() - 0.5f));
        float cy = size * (0.5f + 0.2f * (random.NextSingle() - 0.5f));
        using var paint = new SKPaint
        {
            Color = SKColors.White,
            IsAntialias = true,
            Style = SKPaintStyle.Fill,
        };
        canvas.Translate(cx, cy);
        canvas.RotateDegrees(360 * random.NextSingle());
        switch (shape)
        {
            case "circle":
                canvas.DrawCircle(0, 0, radius, paint);
                break;
            case "cross":
                float arm = radius, bar = radius / 3;
                canvas.DrawRect(-arm, -bar / 2, 2 * arm, bar, paint);
                canvas.DrawRect(-bar / 2, -arm, bar, 2 * arm, paint);
                break;
            case "square":
                float half = radius / MathF.Sqrt(2);
                canvas.DrawRect(-half, -half, 2 * half, 2 * half, paint);
                break;
            default:
                using (var path = new SKPath())
                {
                    for (int k = 0; k < 3; k++)
                    {
                        float angle = MathF.PI * (2 * k / 3f - 0.5f);
                        var point = new SKPoint(radius * MathF.Cos(angle), radius * MathF.Sin(angle));
                        if (k == 0) path.MoveTo(point);
                        else path.LineTo(point);
                    }
                    path.Close();
                    canvas.DrawPath(path, paint);
                }
                break;
        }
    }
    using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
    return data.ToArray();
}
