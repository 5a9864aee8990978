namespace LipService.Api.Datasets;

/// <summary>
/// An upload that cannot become a dataset, for a reason its sender can fix: answered with
/// <see cref="StatusCode"/> (400, or 413 past a size limit) and <see cref="Exception.Message"/> under
/// <see cref="Field"/>, the form part it concerns.
/// </summary>
public sealed class DatasetRejectedException(string field, string message, int statusCode = 400) : Exception(message)
{
    /// <summary>The multipart part at fault: <c>file</c>, <c>labels</c>, <c>validation</c>, <c>validationLabels</c> or a form field.</summary>
    public string Field { get; } = field;

    public int StatusCode { get; } = statusCode;
}
