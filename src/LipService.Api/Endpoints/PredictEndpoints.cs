using System.Numerics.Tensors;
using LipService.Api.Contracts;
using LipService.Api.Imaging;
using LipService.Api.Serving;
using LipService.Models.Certificates;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;
using Microsoft.Extensions.Options;

namespace LipService.Api.Endpoints;

/// <summary>Predictions with certified radii, from pixel arrays or uploaded images.</summary>
public static class PredictEndpoints
{
    public const string RateLimitPolicy = "predict";

    public static RouteHandlerBuilder MapPredictEndpoints(this IEndpointRouteBuilder app, ServingOptions options)
    {
        return app.MapPost("/predict", Predict)
            .WithName("Predict")
            .WithTags("Predict")
            .RequireRateLimiting(RateLimitPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes))
            // One Accepts call: each call replaces the accepted content types, and routing answers 415 to the others.
            .Accepts<PredictRequest>("application/json", "multipart/form-data")
            .WithMetadata(new FileUploadMetadata(
                FilesField: "files",
                FilesDescription: "One or more digit images (PNG, JPEG, BMP, GIF, WebP; at most 4,096 px a side), one per part, all named `files`.",
                FileContentTypes: ["image/png", "image/jpeg", "image/bmp", "image/gif", "image/webp"],
                Fields: new Dictionary<string, string> { ["modelId"] = "The model to ask; default the newest succeeded model." }))
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Classify digits and certify each answer")
            .WithDescription(
                "Send either JSON `{\"images\": [[784 numbers in [0,1]], ...], \"modelId\": optional}` (row-major 28×28, white digit on black, as MNIST) "
                + "or multipart/form-data with one or more image files in parts named `files` (PNG, JPEG, BMP, GIF, WebP; at most 4,096 px a side) and an optional `modelId` field. "
                + "Uploaded images are brought to MNIST form: grayscale, inverted when the background is light, cropped to the ink, fitted in 20×20, centred by mass in 28×28. "
                + $"At most {options.MaxDigits} digits per request. `modelId` may also be a query parameter; the default is the newest trained model. "
                + "Each answer gives the score f(x), the predicted digit and the certified radius |f(x)|/L: no perturbation of the 28×28 input (pixels in [0,1]) with L2 norm below it can change the label. "
                + "L is the model's Lipschitz bound, computed from its weights. `includeInput=true` also returns the 784 pixels the model saw.");
    }

    private static async Task<Results<Ok<PredictResponse>, ValidationProblem, ProblemHttpResult>> Predict(
        HttpRequest request,
        ModelCache models,
        MnistDigitPreprocessor preprocessor,
        IOptions<DigitImageOptions> imageOptions,
        IOptions<ServingOptions> serving,
        IOptions<JsonOptions> json,
        CancellationToken cancellationToken,
        string? modelId = null,
        bool includeInput = false)
    {
        var limits = serving.Value;
        PixelBatch digits;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var files = form.Files.GetFiles("files");
            if (files.Count == 0) return Problems.Invalid("files", "Attach one or more images in parts named 'files'.");
            if (files.Count > limits.MaxDigits) return Problems.Invalid("files", $"At most {limits.MaxDigits} images per request (got {files.Count}).");
            modelId ??= form["modelId"].FirstOrDefault();
            var images = new float[files.Count][];
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
                    images[i] = await preprocessor.ToMnistAsync(stream, files[i].FileName, cancellationToken);
                }
                catch (ImageRejectedException e)
                {
                    return Problems.Invalid($"files[{i}]", e.Message);
                }
            }
            digits = PixelBatch.From(images);
        }
        else if (request.HasJsonContentType())
        {
            var (body, errors) = await JsonBody.ReadAsync<PredictRequest>(request, json.Value.SerializerOptions, cancellationToken);
            if (errors is not null) return TypedResults.ValidationProblem(errors);
            if (ValidatePixels(body!.Images, limits.MaxDigits) is { } invalid) return invalid;
            digits = body.Images!;
            modelId ??= body.ModelId;
        }
        else
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send application/json with pixel arrays or multipart/form-data with image files.");
        }

        var batch = digits;
        using var lease = await models.AcquireAsync(modelId, cancellationToken);
        if (lease is null)
        {
            return modelId is null
                ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No model yet", detail: "No training job has succeeded yet; POST /jobs first.")
                : Problems.NotFound("Model", modelId);
        }

        var model = lease.Model;
        var scores = model.Score(batch);

        double bound = model.LipschitzBound;
        var spec = model.Record.Spec;
        var predictions = new Prediction[batch.Count];
        for (int i = 0; i < predictions.Length; i++)
        {
            float score = scores[i];
            predictions[i] = new Prediction(score, score >= 0 ? spec.PositiveClass : spec.NegativeClass, BinaryCertificates.Radius(score, bound), includeInput ? batch.Image(i) : null);
        }
        return TypedResults.Ok(new PredictResponse(model.Record.Id, bound, spec.PositiveClass, spec.NegativeClass, predictions));
    }

    private static ValidationProblem? ValidatePixels(PixelBatch? images, int maxDigits)
    {
        if (images is null || images.Count == 0) return Problems.Invalid("images", "Send 1 or more images, each 784 numbers in [0, 1].");
        if (images.Count > maxDigits) return Problems.Invalid("images", $"At most {maxDigits} images per request (got {images.Count}).");
        if (images.WrongLength is var (index, length))
            return Problems.Invalid($"images[{index}]", $"Each image needs exactly {PixelBatch.PixelsPerImage} values (28×28, row-major); got {length}.");
        for (int i = 0; i < images.Count; i++)
        {
            var image = images.Image(i);
            // Max propagates NaN, so one comparison catches NaN, ±Infinity and out-of-range values.
            float min = TensorPrimitives.Min(image), max = TensorPrimitives.Max(image);
            if (!(min >= 0 && max <= 1))
                return Problems.Invalid($"images[{i}]", $"Pixel values must be finite numbers in [0, 1]; found values from {min} to {max}.");
        }
        return null;
    }
}
