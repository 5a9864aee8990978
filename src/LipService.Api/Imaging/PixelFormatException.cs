namespace LipService.Api.Imaging;

/// <summary>A pixel array that cannot be read, with the JSON field it is in (e.g. images[3][17]).</summary>
public sealed class PixelFormatException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
