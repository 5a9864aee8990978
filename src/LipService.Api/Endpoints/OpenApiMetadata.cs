namespace LipService.Api.Endpoints;

/// <summary>
/// Marks an endpoint guarded by <see cref="ApiKeyFilter"/>: endpoint filters are invisible to
/// ApiExplorer, so the OpenAPI document learns of the key requirement from this marker.
/// </summary>
public sealed class ApiKeyRequiredMetadata
{
    public static readonly ApiKeyRequiredMetadata Instance = new();

    private ApiKeyRequiredMetadata()
    {
    }
}

/// <summary>
/// The multipart/form-data form of an endpoint that reads its form by hand: ApiExplorer only knows
/// one request type, so without this the form would be documented as the JSON body's fields.
/// </summary>
/// <param name="FilesField">Name of the parts holding the files (repeatable).</param>
/// <param name="FilesDescription">What the files must be.</param>
/// <param name="FileContentTypes">Media types accepted for each file part.</param>
/// <param name="Fields">Optional plain form fields, name → description.</param>
/// <param name="SingleFile">The files field takes one file, not a list.</param>
/// <param name="OtherFiles">Optional further single-file parts, name → description.</param>
public sealed record FileUploadMetadata(
    string FilesField,
    string FilesDescription,
    IReadOnlyList<string> FileContentTypes,
    IReadOnlyDictionary<string, string> Fields,
    bool SingleFile = false,
    IReadOnlyDictionary<string, string>? OtherFiles = null);

/// <summary>
/// A text media type a 200 answer has besides its JSON one (e.g. an SSE stream chosen by
/// <c>Accept</c>): ApiExplorer keeps one response type per status code, so the second media type
/// is added to the document from this.
/// </summary>
public sealed record TextResponseMetadata(string ContentType, string Description);

/// <summary>A header the 200 answer carries: ApiExplorer knows bodies only, so the document learns of it from this.</summary>
public sealed record ResponseHeaderMetadata(string Name, string Description);
