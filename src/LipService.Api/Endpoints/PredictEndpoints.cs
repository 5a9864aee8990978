using System.Globalization;
using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Api.Imaging;
using LipService.Api.Monitoring;
using LipService.Api.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;
using Microsoft.Extensions.Options;

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
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            // A model not yet in the cache is read from the store.
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Classify digits and certify each answer")
            .WithDescription(
                "Send either JSON `{\"images\": [[784 numbers in [0,1]], ...], \"modelId\": optional}` (row-major 28×28, white digit on black, as MNIST) "
                + "or multipart/form-data with one or more image files in parts named `files` (PNG, JPEG, BMP, GIF, WebP; at most 4,096 px a side) and an optional `modelId` field. "
                + "Uploaded images are brought to the model's data set's form: for digits grayscale, inverted when the background is light, cropped to the ink, fitted in 20×20, centred by mass in 28×28; "
                + "for Fashion-MNIST models grayscale, inverted when the background is light, the item fitted into 28×28 with its aspect kept. "
                + "Uploads are weighed from their headers before any is decoded: their pixels together have a per-request budget (413 beyond). "
                + "Each digit or image takes one permit of the client's rate limit (429 with Retry-After beyond). "
                + $"At most {options.MaxDigits} digits per request. `modelId` (also a query parameter) is a model id or an alias; without it the model of the alias `{options.DefaultAlias}` answers (PUT /models/{{id}}/aliases/{options.DefaultAlias}), "
                + "or, while that alias is not set, the newest succeeded model, which every new job or sweep changes. "
                + $"The response header `{ModelSource.HeaderName}` says which: `id`, `alias:NAME` or `newest`. "
                + "A two-class model answers the score f(x), the predicted label and the certified radius |f(x)|/L; a multiclass model answers the label, one score per class (in the order of the model's classes) and the radius (top1 − top2)/(√2·L). "
                + "No perturbation of the 28×28 input (pixels in [0,1]) with L2 norm below the radius can change the label. "
                + "L is the model's Lipschitz bound, computed from its weights. `includeInput=true` also returns the 784 pixels the model saw.");
    }

    private static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> Predict(
        HttpContext context,
        ModelCache models,
        MnistDigitPreprocessor preprocessor,
        FashionItemPreprocessor fashionPreprocessor,
        ImageRateLimiter rateLimiter,
        ServiceMetrics metrics,
        IOptions<ImageUploadOptions> imageOptions,
        IOptions<ServingOptions> serving,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken,
        string? modelId = null,
        bool includeInput = false)
    {
        var request = context.Request;
        var limits = serving.Value;
        // Every request takes one permit before its body is read, whatever it turns out to hold.
        if (ServingProblems.Take(context, rateLimiter, 1) is { } refused) return refused;

        PixelBatch? digits;
        EncodedImage[]? uploads = null;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (Exception e) when (e is InvalidDataException
                || (e is IOException { HResult: PlainIoError } && e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested))
            {
                // The form reader's words for a body that is not the multipart it claims (no or another
                // boundary, cut short, too many values, a part's headers too long): the client's to fix, not a 500.
                // An IOException from the OS (a full disk while a large part is buffered) carries its errno
                // as HResult and still escapes as the server's error it is; Kestrel's BadHttpRequestException
                // (an IOException too) keeps its own status (413) through the exception handler.
                return Problems.Invalid("body", $"The multipart/form-data body could not be read: {e.Message} Send image files as multipart/form-data parts named 'files'.");
            }
            var files = form.Files.GetFiles("files");
            if (files.Count == 0) return Problems.Invalid("files", "Attach one or more images in parts named 'files'.");
            if (files.Count > limits.MaxDigits) return Problems.Invalid("files", $"At most {limits.MaxDigits} images per request (got {files.Count}).");
            if (ServingProblems.ChargeDigits(context, rateLimiter, files.Count) is { } tooMany) return tooMany;
            modelId ??= form["modelId"].FirstOrDefault();

            // Headers first, all of them: a request whose images would cost more than the budget to
            // decode is refused before the first pixel is decoded.
            var encoded = new EncodedImage[files.Count];
            long pixels = 0, budget = imageOptions.Value.MaxPixelsPerRequest;
            for (int i = 0; i < files.Count; i++)
            {
                if (files[i].Length > imageOptions.Value.MaxBytes)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Image too large",
                        detail: $"'{files[i].FileName}' has {files[i].Length} bytes; at most {imageOptions.Value.MaxBytes} per image.");
                }
                try
                {
                    await using var stream = files[i].OpenReadStream();
                    encoded[i] = await preprocessor.ReadAsync(stream, files[i].FileName, cancellationToken);
                }
                catch (ImageRejectedException e)
                {
                    return Problems.Invalid($"files[{i}]", e.Message);
                }
                pixels += encoded[i].DecodedPixels;
                if (pixels > budget) return OverPixelBudget(encoded[i], i, pixels, budget);
            }

            uploads = encoded;
            digits = null;
        }
        else if (request.HasJsonContentType())
        {
            var (body, errors) = await JsonBody.ReadAsync<PredictRequest>(request, json.Value.SerializerOptions, cancellationToken, PixelArrayScanner.TryReadPredictRequest);
            if (errors is not null) return TypedResults.ValidationProblem(errors);
            if (ValidatePixels(body!.Images, limits.MaxDigits) is { } invalid) return invalid;
            if (ServingProblems.ChargeDigits(context, rateLimiter, body.Images!.Count) is { } tooMany) return tooMany;
            digits = body.Images!;
            modelId ??= body.ModelId;
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send application/json with pixel arrays or multipart/form-data with image files.");
        }

        using var lease = await models.AcquireAsync(modelId, cancellationToken);
        if (lease is null) return ServingProblems.ModelNotFound(modelId);
        context.Response.Headers[ModelSource.HeaderName] = lease.Source.HeaderValue;

        var model = lease.Model;
        var spec = model.Record.Spec;
        if (uploads is not null)
        {
            // Uploads are prepared the way the model's data set looks (digits or clothing items).
            var images = new float[uploads.Length][];
            for (int i = 0; i < uploads.Length; i++)
            {
                try
                {
                    images[i] = spec.IsFashionMnist ? fashionPreprocessor.ToFashionMnist(uploads[i]) : preprocessor.ToMnist(uploads[i]);
                }
                catch (ImageRejectedException e)
                {
                    return Problems.Invalid($"files[{i}]", e.Message);
                }
            }
            digits = PixelBatch.From(images);
        }

        var batch = digits!;
        var scores = model.Score(batch);
        var answer = spec.IsBinary
            ? BinaryAnswer(model, batch, scores, includeInput)
            : MulticlassAnswer(model, batch, scores, includeInput);
        metrics.PredictionsServed(uploads is not null ? PredictInput.Upload : PredictInput.Json, answer.Predictions);
        return TypedResults.Ok(answer);
    }

    /// <summary>
    /// Runs a one-digit JSON request's reading, scoring and answer through their code
    /// <see cref="LoadedModel.TierUpCalls"/> times without HTTP, metrics or rate limit, so that the first
    /// requests a new model gets run compiled code rather than the JIT's first tier.
    /// </summary>
    internal static async Task WarmUpAsync(LoadedModel model, JsonSerializerOptions options, CancellationToken cancellationToken)
    {
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"images\": [[{string.Join(", ", Enumerable.Repeat("0.5", PixelBatch.PixelsPerImage))}]]}}");
        for (int i = 0; i < LoadedModel.TierUpCalls; i++)
        {
            var request = new DefaultHttpContext().Request;
            request.ContentType = "application/json";
            request.ContentLength = body.Length;
            request.Body = new MemoryStream(body, writable: false);
            var (read, errors) = await JsonBody.ReadAsync<PredictRequest>(request, options, cancellationToken, PixelArrayScanner.TryReadPredictRequest);
            if (errors is not null || read?.Images is not { } batch) return;
            var scores = model.Score(batch);
            var answer = model.Record.Spec.IsBinary ? BinaryAnswer(model, batch, scores, false) : MulticlassAnswer(model, batch, scores, false);
            await JsonSerializer.SerializeAsync(Stream.Null, answer, options, cancellationToken);
        }
    }

    private static PredictResponse BinaryAnswer(LoadedModel model, PixelBatch batch, float[] scores, bool includeInput)
    {
        var spec = model.Record.Spec;
        var (labels, radii) = Answers(model, batch.Count, scores);
        var predictions = new Prediction[batch.Count];
        for (int i = 0; i < predictions.Length; i++)
            predictions[i] = new Prediction(scores[i], labels[i], radii[i], includeInput ? batch.Image(i) : null);
        return new PredictResponse(model.Record.Id, model.LipschitzBound, spec.PositiveClass, spec.NegativeClass, predictions);
    }

    private static PredictResponse MulticlassAnswer(LoadedModel model, PixelBatch batch, float[] scores, bool includeInput)
    {
        var (labels, radii) = Answers(model, batch.Count, scores);
        int outputs = model.Outputs;
        var predictions = new Prediction[batch.Count];
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = new Prediction(null, labels[i], radii[i], includeInput ? batch.Image(i) : null)
            {
                Scores = scores.AsSpan(i * outputs, outputs).ToArray(),
            };
        }
        return new PredictResponse(model.Record.Id, model.LipschitzBound, null, null, predictions) { Classes = model.Record.Spec.Classes };
    }

    private static (int[] Labels, double[] Radii) Answers(LoadedModel model, int count, float[] scores)
    {
        var labels = new int[count];
        var radii = new double[count];
        CertifiedAnswers.Compute(model, scores, labels, radii);
        return (labels, radii);
    }

    private static ProblemHttpResult OverPixelBudget(EncodedImage image, int index, long pixels, long budget)
    {
        string size = image.DecodeWidth == image.Width && image.DecodeHeight == image.Height
            ? $"{image.Width}×{image.Height} pixels"
            : $"{image.Width}×{image.Height} pixels (decoded at {image.DecodeWidth}×{image.DecodeHeight})";
        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Images too large to decode",
            detail: string.Create(CultureInfo.InvariantCulture,
                $"files[{index}] '{image.FileName}' is {size}; with the images before it this request needs {pixels:N0} decoded pixels, more than the {budget:N0} allowed per request (Images:MaxPixelsPerRequest). Send fewer or smaller images."));
    }

    private static ValidationProblem? ValidatePixels(PixelBatch? images, int maxDigits)
    {
        if (images is null || images.Count == 0) return Problems.Invalid("images", "Send 1 or more images, each 784 numbers in [0, 1].");
        if (images.Count > maxDigits) return Problems.Invalid("images", $"At most {maxDigits} images per request (got {images.Count}).");
        if (images.WrongLength is var (index, length))
            return Problems.Invalid($"images[{index}]", $"Each image needs exactly {PixelBatch.PixelsPerImage} values (28×28, row-major); got {length}.");
        for (int i = 0; i < images.Count; i++)
        {
            if (PixelRange.Problem(images.Image(i)) is { } problem) return Problems.Invalid($"images[{i}]", problem);
        }
        return null;
    }
}
