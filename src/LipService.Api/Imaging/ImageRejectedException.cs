namespace LipService.Api.Imaging;

/// <summary>
/// An uploaded file that cannot become a digit: empty, too large, not decodable, truncated.
/// <see cref="Exception.Message"/> names the file and is written to be shown to the user as is.
/// </summary>
public sealed class ImageRejectedException : Exception
{
    public ImageRejectedException()
        : base("The image was rejected.")
    {
    }

    public ImageRejectedException(string message)
        : base(message)
    {
    }

    public ImageRejectedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
