using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Api.Imaging;
using LipService.Api.Monitoring;
using LipService.Api.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using PredictResult = Microsoft.AspNetCore.Http.HttpResults.Results<
    Microsoft.AspNetCore.Http.HttpResults.Ok<LipService.Api.Contracts.PredictResponse>,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace LipService.Api.Endpoints;

/// <summary>Predictions with certified radii, from pixel arrays or uploaded images.</summary>
public static class PredictEndpoints
{
    /// <summary>COR_E_IO, the HResult of an IOException thrown by managed code (the multipart reader) rather than for an OS error.</summary>
    private const int PlainIoError = unchecked((int)0x80131620);

    public static RouteHandlerBuilder MapPredictEndpoints(this IEndpointRouteBuilder app, ServingOptions options)
    {
        return app.MapPost("/predict", Predict)
            .WithName("Predict")
            .WithTags("Predict")
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes))
            // One Accepts call: each call replaces the accepted content types, and routing answers 415 to the others.
            .Accepts<PredictRequest>("application/json", "multipart/form-data")
            .WithMetadata(new FileUploadMetadata(
                FilesField: "files",
                FilesDescription: "One or more digit images (PNG, JPEG, BMP, GIF, WebP; at most 4,096 px a side), one per part, all named `files`.",
                FileContentTypes: ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp"],
                Fields: new Dictionary<string, string> { ["modelId"] = "The model to ask, by id or alias; default the model of the alias `default`, or the newest succeeded model while that alias is not set." }))
            .WithMetadata(new ResponseHeaderMetadata(ModelSource.HeaderName,
                "How the model that answered was chosen: `id` (modelId was its id), `alias:NAME` (modelId was an alias, or none was given and the default alias is set) or `newest` (none given and no default alias set)."))
            .ProducesScoringProblems()
            .WithSummary("Classify digits and certify each answer")
            .WithDescription(
                "Send either JSON `{\"images\": [[784 numbers in [0,1]], ...], \"modelId\": optional}` (row-major 28×28, white digit on black, as MNIST; "
                + "for a model of an uploaded dataset channels × height × width numbers, each channel's rows in turn) "
                + "or multipart/form-data with one or more image files in parts named `files` (PNG, JPEG, BMP, GIF, WebP; at most 4,096 px a side) and an optional `modelId` field. "
                + "Uploaded images are brought to the model's data set's form: for digits grayscale, inverted when the background is light, cropped to the ink, fitted in 20×20, centred by mass in 28×28; "
                + "for Fashion-MNIST models grayscale, inverted when the background is light, the item fitted into 28×28 with its aspect kept; "
                + "for a model of an uploaded dataset decoded as its zip's images were (grayscale as luma, or RGB) and refused with 400 unless of the dataset's size, as the radius is measured in its pixels. "
                + "Uploads are weighed from their headers before any is decoded: their pixels together have a per-request budget (413 beyond). "
                + "Each digit or image takes one permit of the client's rate limit (429 with Retry-After beyond). "
                + $"At most {options.MaxDigits} digits per request. `modelId` (also a query parameter) is a model id or an alias; without it the model of the alias `{options.DefaultAlias}` answers (PUT /models/{{id}}/aliases/{options.DefaultAlias}), "
                + "or, while that alias is not set, the newest succeeded model, which every new job or sweep changes. "
                + $"The response header `{ModelSource.HeaderName}` says which: `id`, `alias:NAME` or `newest`. "
                + "A two-class model answers the score f(x), the predicted label and the certified radius |f(x)|/L; a multiclass model answers the label, one score per class (in the order of the model's classes) and the radius (top1 − top2)/(√2·L). "
                + "No perturbation of the 28×28 input (pixels in [0,1]) with L2 norm below the radius can change the label. "
                + "L is the model's Lipschitz bound, computed from its weights. `includeInput=true` also returns the pixels the model saw. Each prediction names its class (`className`): a digit, a clothing item, or an uploaded dataset's class name.");
    }

    private static async Task<PredictResult> Predict(
        HttpContext context,
        ImageScoring scoring,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken,
        string? modelId = null,
        bool includeInput = false)
    {
        // Every request takes one permit before its body is read, whatever it turns out to hold.
        if (ServingProblems.Take(context, scoring, 1) is { } refused) return refused;
        var (body, problem) = context.Request.HasFormContentType ? await ReadUploadsAsync(context, scoring, cancellationToken)
            : context.Request.HasJsonContentType() ? await ReadPixelsAsync(context, scoring, json.Value.SerializerOptions, cancellationToken)
            : (null, UnsupportedMediaType());
        if (problem is not null) return problem;
        modelId ??= body!.ModelId;

        using var lease = await scoring.LeaseAsync(modelId, cancellationToken);
        if (lease is null) return ServingProblems.ModelNotFound(modelId);
        context.Response.Headers[ModelSource.HeaderName] = lease.Source.HeaderValue;
        // The length an image needs depends on the model's dataset, known only now.
        if (body!.Pixels is { } sent && WrongLength(sent, lease.Model) is { } wrongLength) return wrongLength;

        PixelBatch batch;
        try
        {
            // Uploads are prepared the way the model's data set looks (digits or clothing items).
            batch = body!.Pixels ?? scoring.Prepare(lease.Model, body.Uploads!);
        }
        catch (UploadRefusedException e)
        {
            return Refused(e);
        }
        var scores = ImageScoring.Certify(lease.Model, batch);
        var answer = PredictResponse.From(scores, batch, includeInput);
        scoring.Served(body.Uploads is not null ? PredictInput.Upload : PredictInput.Json, scores);
        return TypedResults.Ok(answer);
    }

    /// <summary>A multipart body's image files, weighed from their headers, and its modelId field.</summary>
    private static async Task<(PredictBody? Body, PredictResult? Problem)> ReadUploadsAsync(HttpContext context, ImageScoring scoring, CancellationToken cancellationToken)
    {
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException
            || (e is IOException { HResult: PlainIoError } && e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested))
        {
            // The form reader's words for a body that is not the multipart it claims (no or another
            // boundary, cut short, too many values, a part's headers too long): the client's to fix, not a 500.
            // An IOException from the OS (a full disk while a large part is buffered) carries its errno
            // as HResult and still escapes as the server's error it is; Kestrel's BadHttpRequestException
            // (an IOException too) keeps its own status (413) through the exception handler.
            return (null, Problems.Invalid("body", $"The multipart/form-data body could not be read: {e.Message} Send image files as multipart/form-data parts named 'files'."));
        }
        var files = form.Files.GetFiles("files");
        if (files.Count == 0) return (null, Problems.Invalid("files", "Attach one or more images in parts named 'files'."));
        if (files.Count > scoring.MaxImages) return (null, Problems.Invalid("files", $"At most {scoring.MaxImages} images per request (got {files.Count})."));
        if (ServingProblems.ChargeImages(context, scoring, files.Count) is { } tooMany) return (null, tooMany);
        try
        {
            return (new PredictBody(null, await scoring.ReadUploadsAsync(files, cancellationToken), form["modelId"].FirstOrDefault()), null);
        }
        catch (UploadRefusedException e)
        {
            return (null, Refused(e));
        }
    }

    /// <summary>A JSON body's pixel arrays, checked, and its modelId.</summary>
    private static async Task<(PredictBody? Body, PredictResult? Problem)> ReadPixelsAsync(
        HttpContext context, ImageScoring scoring, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var (body, errors) = await JsonBody.ReadAsync<PredictRequest>(context.Request, options, cancellationToken, PixelArrayScanner.TryReadPredictRequest);
        if (errors is not null) return (null, TypedResults.ValidationProblem(errors));
        if (ValidatePixels(body!.Images, scoring.MaxImages) is { } invalid) return (null, invalid);
        if (ServingProblems.ChargeImages(context, scoring, body.Images!.Count) is { } tooMany) return (null, tooMany);
        return (new PredictBody(body.Images, null, body.ModelId), null);
    }

    private static PredictResult UnsupportedMediaType() =>
        TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
            detail: "Send application/json with pixel arrays or multipart/form-data with image files.");

    /// <summary>A 413 keeps its own title; a 400 names the part, as every validation problem does.</summary>
    private static PredictResult Refused(UploadRefusedException e) => e.Title is null
        ? Problems.Invalid(e.Field, e.Message)
        : TypedResults.Problem(statusCode: e.StatusCode, title: e.Title, detail: e.Message);

    private static ValidationProblem? WrongLength(PixelBatch images, LoadedModel model)
    {
        var spec = model.Record.Spec;
        return images.FirstWrongLength(spec.Input.Pixels) is var (index, length)
            ? Problems.Invalid($"images[{index}]", $"Each image needs exactly {spec.Input.Pixels} values for model {model.Record.Id} ({ServingProblems.InputForm(spec)}); got {length}.")
            : null;
    }

    private static ValidationProblem? ValidatePixels(PixelBatch? images, int maxImages)
    {
        if (images is null || images.Count == 0) return Problems.Invalid("images", "Send 1 or more images, each 784 numbers in [0, 1] (for an uploaded dataset's model, channels × height × width).");
        if (images.Count > maxImages) return Problems.Invalid("images", $"At most {maxImages} images per request (got {images.Count}).");
        for (int i = 0; i < images.Count; i++)
        {
            if (PixelRange.Problem(images.Image(i)) is { } problem) return Problems.Invalid($"images[{i}]", problem);
        }
        return null;
    }

    /// <summary>What a /predict body holds: pixel arrays (JSON) or images not yet decoded (multipart), and the model asked for.</summary>
    private sealed record PredictBody(PixelBatch? Pixels, EncodedImage[]? Uploads, string? ModelId);
}
