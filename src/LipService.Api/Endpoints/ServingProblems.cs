using LipService.Api.Serving;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LipService.Api.Endpoints;

/// <summary>
/// The answers /predict and /attack share: the client's image budget (one <see cref="ImageRateLimiter"/>
/// for both, so an attack cannot be used to get round the prediction limit) and a model that is not there.
/// </summary>
internal static class ServingProblems
{
    /// <summary>
    /// Takes the permits for a request of <paramref name="images"/> images beyond the one taken on
    /// arrival; null when granted, else the answer to send.
    /// </summary>
    public static ProblemHttpResult? ChargeImages(HttpContext context, ImageScoring scoring, int images) =>
        Answer(context, scoring.PermitsPerSecond, images, scoring.Charge(context, images, images - 1));

    /// <summary>Takes <paramref name="permits"/> now; null when granted, else a 429 with Retry-After.</summary>
    public static ProblemHttpResult? Take(HttpContext context, ImageScoring scoring, int permits) =>
        Answer(context, scoring.PermitsPerSecond, permits, scoring.Charge(context, permits, permits));

    private static ProblemHttpResult? Answer(HttpContext context, int permitsPerSecond, int images, ImageRateLimiter.Refusal refusal) => refusal switch
    {
        ImageRateLimiter.Refusal.None => null,
        // No wait would help: the bucket never holds this many.
        ImageRateLimiter.Refusal.NeverFits => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many digits for the rate limit",
            detail: $"This request costs {images} digits; the rate limit (Serving:PredictPermitsPerSecond) allows {permitsPerSecond} digits per second per client. Send at most {permitsPerSecond} per request."),
        _ => TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: $"This client may spend {permitsPerSecond} digits per second on /predict and /attack (Serving:PredictPermitsPerSecond; an attack step costs one digit) and has used them; retry after {context.Response.Headers.RetryAfter} s."),
    };

    /// <summary>The 404 for a model id or alias that names no model, or for no model at all when none was named.</summary>
    public static ProblemHttpResult ModelNotFound(string? modelId) => modelId is null
        ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No model yet", detail: "No training job has succeeded yet; POST /jobs first.")
        : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not found",
            detail: $"No model has the id or alias '{ClientText.Short(modelId)}'. GET /models and GET /aliases list them.");

    /// <summary>How a model's images are laid out, for messages: MNIST's 28×28, or an uploaded dataset's shape.</summary>
    public static string InputForm(Training.Specs.TrainingSpec spec) => spec.Dataset.IsUploaded
        ? $"{spec.Input.Channels}×{spec.Input.Height}×{spec.Input.Width} of dataset {spec.Dataset.Name}: each channel's rows in turn"
        : "28×28, row-major";
}
