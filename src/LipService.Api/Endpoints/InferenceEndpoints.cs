using LipService.Api.Inference;
using LipService.Api.Monitoring;
using LipService.Api.Serving;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RequestSizeLimitAttribute = Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute;

namespace LipService.Api.Endpoints;

/// <summary>
/// The Open Inference Protocol v2 over REST (KServe v2, Triton): health, server and model metadata,
/// and inference with JSON or binary tensors. A model's name is its id (or an alias); its version is
/// its id. Errors answer the protocol's <c>{"error": "…"}</c>, which its clients read.
/// </summary>
public static class InferenceEndpoints
{
    private const string Tag = "Open Inference Protocol v2";
    private const string JsonContent = "application/json";
    private const string BinaryContent = "application/octet-stream";

    public static RouteGroupBuilder MapInferenceEndpoints(this IEndpointRouteBuilder app, ServingOptions options)
    {
        var group = app.MapGroup("/v2").WithTags(Tag);
        group.MapGet("", ServerMetadata).WithName("OipServerMetadata")
            .WithSummary("Server metadata").WithDescription("The server's name, version and the protocol extensions it supports (binary_tensor_data).");
        group.MapGet("/health/live", () => TypedResults.Ok(new LiveResponse(true))).WithName("OipServerLive")
            .WithSummary("Server liveness").WithDescription("200 with {\"live\": true} while the process answers.");
        group.MapGet("/health/ready", ServerReady).WithName("OipServerReady")
            .Produces<ReadyResponse>(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Server readiness").WithDescription("200 with {\"ready\": true} when the store answers; 503 with {\"ready\": false} otherwise.");
        foreach (string suffix in new[] { "", "/versions/{version}" })
        {
            string named = suffix.Length == 0 ? "" : "Version";
            group.MapGet("/models/{name}" + suffix, ModelMetadata).WithName("OipModelMetadata" + named)
                .Produces<InferenceErrorResponse>(StatusCodes.Status404NotFound, JsonContent)
                .WithSummary("Model metadata").WithDescription("The model's tensors: input FP32 [-1, C·H·W] of its dataset's images ([-1, 784] for MNIST; [N, C, H, W] is taken too); outputs scores FP32 [-1, outputs], label INT64 [-1], certified_radius FP64 [-1], class_name BYTES [-1]. The name is the model's id or an alias; the version is the model's id.");
            group.MapGet("/models/{name}" + suffix + "/ready", ModelReady).WithName("OipModelReady" + named)
                .Produces<InferenceErrorResponse>(StatusCodes.Status404NotFound, JsonContent)
                .WithSummary("Model readiness").WithDescription("200 with {\"name\", \"ready\": true} once the model is loaded; 404 for an unknown model or version.");
            group.MapPost("/models/{name}" + suffix + "/infer", Infer).WithName("OipInfer" + named)
                .WithMetadata(new RequestSizeLimitAttribute(options.MaxRequestBytes))
                .Accepts<InferRequestDocument>(JsonContent, BinaryContent)
                .Produces<InferResponseDocument>(StatusCodes.Status200OK, JsonContent, BinaryContent)
                .Produces<InferenceErrorResponse>(StatusCodes.Status400BadRequest, JsonContent)
                .Produces<InferenceErrorResponse>(StatusCodes.Status404NotFound, JsonContent)
                .Produces<InferenceErrorResponse>(StatusCodes.Status429TooManyRequests, JsonContent)
                .WithSummary("Classify images and certify each answer")
                .WithDescription(
                    "Body: {\"id\": optional, \"inputs\": [{\"name\": \"input\", \"datatype\": \"FP32\", \"shape\": [N, C·H·W] or [N, C, H, W] of the model's images ([N, 784] or [N, 1, 28, 28] for MNIST; the model's metadata gives C·H·W), \"data\": [values in [0, 1], flat or nested]}], \"outputs\": optional [{\"name\": \"scores\" | \"label\" | \"certified_radius\" | \"class_name\", \"parameters\": {\"binary_data\": true}}]}. "
                    + "The binary tensor data extension is supported both ways: send Inference-Header-Content-Length with the JSON part's length and the input's raw little-endian FP32 values after it (parameters.binary_data_size), and ask for binary outputs with binary_data (per output) or binary_data_output (request parameters). "
                    + "Content-Type may be application/json, application/octet-stream or left out (Triton's Python client and KServe's REST client send JSON without one, Triton's C++ client sends application/octet-stream for JSON and binary alike): the body is read as the binary extension when Inference-Header-Content-Length is given and as JSON otherwise. "
                    + "Answers scores (FP32 [N, outputs]), label (INT64 [N]), certified_radius (FP64 [N]) and class_name (BYTES [N], the label's class: a digit, a Fashion-MNIST item, an uploaded dataset's class): no change of an input of L2 norm below its radius can change its label.");
        }
        return group;
    }

    private static Ok<ServerMetadataResponse> ServerMetadata() =>
        TypedResults.Ok(new ServerMetadataResponse(InferenceModels.ServerName, InferenceModels.ServerVersion, InferenceModels.Extensions));

    private static async Task<IResult> ServerReady(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains("ready"), cancellationToken);
        bool ready = report.Status == HealthStatus.Healthy;
        return TypedResults.Json(new ReadyResponse(ready), statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static Task<IResult> ModelMetadata(string name, string? version, ImageScoring scoring, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            using var lease = await InferenceModels.AcquireAsync(scoring, name, version, cancellationToken);
            return TypedResults.Ok(InferenceModels.Metadata(name, lease.Model));
        });

    private static Task<IResult> ModelReady(string name, string? version, ImageScoring scoring, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            using var lease = await InferenceModels.AcquireAsync(scoring, name, version, cancellationToken);
            return TypedResults.Ok(new ReadyResponse(true, name));
        });

    private static Task<IResult> Infer(HttpContext context, string name, string? version, ImageScoring scoring, CancellationToken cancellationToken) =>
        Answer(async () =>
        {
            using var request = await InferenceRequestReader.ReadJsonAsync(context.Request, scoring.MaxImages, cancellationToken);
            InferenceModels.ChargeImages(context, scoring, request.Count);
            using var lease = await InferenceModels.AcquireAsync(scoring, name, version, cancellationToken);
            // The values an image has are the model's: the pixels are sized and read only now.
            await request.ReadPixelsAsync(lease.Model, cancellationToken);
            var scores = ImageScoring.Certify(lease.Model, request.Pixels.Array, request.Count);
            await InferenceResponseWriter.WriteAsync(context.Response, InferenceModels.Answer(scores, name, request.Id, request.Outputs), cancellationToken);
            scoring.Served(request.BinaryInput ? PredictInput.V2Binary : PredictInput.V2Json, scores);
            return Results.Empty;
        });

    private static async Task<IResult> Answer(Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (InferenceError e)
        {
            return TypedResults.Json(new InferenceErrorResponse(e.Message), statusCode: e.StatusCode);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's refusals of the body as it is read (over the size limit, ended early, bad
            // chunking): the client's doing, answered in the protocol's error form like the rest.
            return TypedResults.Json(new InferenceErrorResponse(e.Message), statusCode: e.StatusCode);
        }
    }
}
