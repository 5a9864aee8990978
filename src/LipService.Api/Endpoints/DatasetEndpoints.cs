using LipService.Api.Contracts;
using LipService.Api.Datasets;
using LipService.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace LipService.Api.Endpoints;

/// <summary>Uploaded datasets: upload, list, describe, delete.</summary>
public static class DatasetEndpoints
{
    /// <summary>Room for the multipart framing and the form fields around the files.</summary>
    private const long FormOverheadBytes = 1 << 20;

    /// <summary>Unfinished uploads not written to for this long were left by a process that died.</summary>
    private static readonly TimeSpan StaleUpload = TimeSpan.FromMinutes(10);

    public static IEndpointRouteBuilder MapDatasetEndpoints(this IEndpointRouteBuilder app, DatasetOptions options)
    {
        // Every route reads or writes the store: 503 when it cannot be reached (see StoreFailureMiddleware).
        var group = app.MapGroup("/datasets").WithTags("Datasets").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/", Upload).RequireApiKey()
            .WithName("UploadDataset")
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxUploadBytes + FormOverheadBytes))
            .Accepts<DatasetResponse>("multipart/form-data")
            .WithMetadata(new FileUploadMetadata(
                FilesField: DatasetUpload.FileField,
                FilesDescription: "The dataset: a zip of one folder per class holding PNG or JPEG files (the folder names are the class names), "
                    + "an IDX images file (magic 0x803, or 0x804 with a channel dimension of 1 or 3; gzip allowed) sent with `labels`, or a CSV of `label,pixel0,…` rows (header optional).",
                FileContentTypes: ["application/zip", "application/octet-stream", "application/gzip", "text/csv"],
                Fields: new Dictionary<string, string>
                {
                    [DatasetUpload.NameField] = "A name for the list (default: the file's name).",
                    [DatasetUpload.ValidationFractionField] = $"The share of each class held out to measure accuracy and certificates, in (0, {DatasetSettings.MaxValidationFraction}]; default {DatasetSettings.DefaultValidationFraction}. Not with a validation file.",
                    [DatasetUpload.ChannelsField] = "1 (grayscale) or 3 (RGB). Zip: converts every image (default: 1 when every image is grayscale, else 3). CSV: with height and width.",
                    [DatasetUpload.HeightField] = "CSV only: image height, when rows are not square grayscale images.",
                    [DatasetUpload.WidthField] = "CSV only: image width.",
                },
                SingleFile: true,
                OtherFiles: new Dictionary<string, string>
                {
                    [DatasetUpload.LabelsField] = "IDX only: the labels file (magic 0x801; gzip allowed).",
                    [DatasetUpload.ValidationField] = "Optional validation images in the same format as `file` (a zip with the same class folders, IDX images, or a CSV).",
                    [DatasetUpload.ValidationLabelsField] = "IDX only: the labels of `validation`.",
                }))
            .Produces<DatasetResponse>(StatusCodes.Status201Created)
            .Produces<DatasetResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithSummary("Upload a labelled image set")
            .WithDescription(
                "Streams the upload to disk (never whole in memory), checks it and stores it in the database, where every worker reads it. "
                + $"Images keep their size: {options.MinSide}×{options.MinSide} to {options.MaxSide}×{options.MaxSide}, 1 or 3 channels, all one size; "
                + $"2 to {options.MaxClasses} classes, none empty; at most {options.MaxUploadBytes:N0} bytes uploaded and {options.MaxExpandedBytes:N0} bytes of pixels. "
                + "201 with the dataset when stored; 200 with it when the same upload (same bytes and settings) was stored before: the id is a hash of them. "
                + "400 naming the part and the problem (path traversal or nested folders in a zip, a non-image file, mixed sizes, one class only, an empty class, "
                + "a label out of range, a truncated IDX file, a ragged CSV row, …); 413 past a size limit or for a zip bomb's declared sizes; "
                + "409 while the same upload is being stored. Nothing is kept from a refused upload. Train on it with `\"dataset\": \"<id>\"` in POST /jobs. "
                + "Needs X-Api-Key when an API key is configured.");
        group.MapGet("/", List)
            .WithName("ListDatasets")
            .ProducesValidationProblem()
            .WithSummary("List uploaded datasets")
            .WithDescription("Newest first, each with its classes, counts, image size and a few thumbnails.");
        group.MapGet("/{id}", Get)
            .WithName("GetDataset")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get an uploaded dataset")
            .WithDescription("Its classes (label, name, counts), image size, split and a few thumbnails of each class. 404 when no dataset has the id.");
        group.MapDelete("/{id}", Delete).RequireApiKey()
            .WithName("DeleteDataset")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Delete an uploaded dataset")
            .WithDescription("Models trained on it stay, and keep naming its classes. 409 while a queued or running job trains on it; 404 when no dataset has the id. "
                + "Needs X-Api-Key when an API key is configured.");
        return app;
    }

    private static async Task<Results<Created<DatasetResponse>, Ok<DatasetResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        HttpRequest request, DatasetImporter importer, IDatasetCatalog catalog, IOptions<DatasetOptions> options, IOptions<StorageOptions> storage,
        TimeProvider time, CancellationToken cancellationToken)
    {
        string folder = DatasetUploadFolder.Path(storage.Value);
        DatasetUploadFolder.SweepStale(folder, time.GetUtcNow());
        await catalog.DiscardStaleDatasetUploadsAsync(time.GetUtcNow() - StaleUpload, cancellationToken);
        try
        {
            using var upload = await DatasetUploadReader.ReadAsync(request, folder, options.Value.MaxUploadBytes, cancellationToken);
            var (dataset, created) = await importer.ImportAsync(upload, cancellationToken);
            var response = DatasetResponse.From(dataset);
            return created ? TypedResults.Created($"/datasets/{dataset.Id}", response) : TypedResults.Ok(response);
        }
        catch (DatasetRejectedException e)
        {
            return e.StatusCode == StatusCodes.Status400BadRequest
                ? Problems.Invalid(e.Field, e.Message)
                : TypedResults.Problem(statusCode: e.StatusCode, title: e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Upload too large" : "Upload in progress", detail: e.Message);
        }
    }

    private static async Task<Results<Ok<PagedResponse<DatasetResponse>>, ValidationProblem>> List(
        IDatasetCatalog catalog, CancellationToken cancellationToken, int offset = 0, int limit = 50)
    {
        if (Paging.Check(offset, limit) is { } badPage) return badPage;
        var datasets = await catalog.ListDatasetsAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<DatasetResponse>([.. datasets.Skip(offset).Take(limit).Select(DatasetResponse.From)], datasets.Count, offset, limit));
    }

    private static async Task<Results<Ok<DatasetResponse>, ProblemHttpResult>> Get(string id, IDatasetCatalog catalog, CancellationToken cancellationToken)
        => await catalog.GetDatasetAsync(id, cancellationToken) is { } dataset ? TypedResults.Ok(DatasetResponse.From(dataset)) : Problems.NotFound("Dataset", id);

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, IDatasetCatalog catalog, CancellationToken cancellationToken)
        => await catalog.DeleteDatasetAsync(id, cancellationToken) switch
        {
            DatasetDeletion.Deleted => TypedResults.NoContent(),
            DatasetDeletion.InUse => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Dataset in use",
                detail: $"A queued or running job trains on the dataset '{ClientText.Short(id)}'; cancel it or wait for it to end, then delete the dataset."),
            _ => Problems.NotFound("Dataset", id),
        };
}
