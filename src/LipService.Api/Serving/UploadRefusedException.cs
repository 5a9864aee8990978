namespace LipService.Api.Serving;

/// <summary>
/// An uploaded image /predict will not score: over a size limit (413) or not an image it can read
/// (400, naming the part). <see cref="Exception.Message"/> is written to be shown to the client as is.
/// </summary>
public sealed class UploadRefusedException : Exception
{
    public UploadRefusedException()
        : this(StatusCodes.Status400BadRequest, "files", "The image was refused.")
    {
    }

    public UploadRefusedException(string message)
        : this(StatusCodes.Status400BadRequest, "files", message)
    {
    }

    public UploadRefusedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = StatusCodes.Status400BadRequest;
        Field = "files";
    }

    public UploadRefusedException(int statusCode, string field, string message, string? title = null)
        : base(message)
    {
        StatusCode = statusCode;
        Field = field;
        Title = title;
    }

    /// <summary>400 (the part cannot be read as an image) or 413 (over a size limit).</summary>
    public int StatusCode { get; }

    /// <summary>The part that was refused, e.g. <c>files[2]</c>.</summary>
    public string Field { get; }

    /// <summary>The problem's title for a 413; null for a 400, which names <see cref="Field"/> instead.</summary>
    public string? Title { get; }
}
