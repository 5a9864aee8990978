using System.Reflection;
using LipService.Api.Contracts;
using LipService.Api.Endpoints;
using LipService.Api.Imaging;
using LipService.Api.Serving;
using LipService.Training.Data;

namespace LipService.Api.Inference;

/// <summary>
/// What the protocol's REST and gRPC faces share: finding a model by name and version, its
/// tensors, checking an input, and answering it.
/// </summary>
public static class InferenceModels
{
    public const string ServerName = "lipservice";
    public const string Platform = "lipservice_torchsharp";

    public static string ServerVersion { get; } =
        typeof(InferenceModels).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";

    public static IReadOnlyList<string> Extensions { get; } = ["binary_tensor_data"];

    public static IReadOnlyList<TensorMetadata> Inputs { get; } = [new(InferenceTensors.Input, InferenceTensors.Fp32, [-1, PixelBatch.PixelsPerImage])];

    public static IReadOnlyList<TensorMetadata> OutputsOf(LoadedModel model) =>
    [
        new(InferenceTensors.Scores, InferenceTensors.Fp32, [-1, model.Outputs]),
        new(InferenceTensors.Label, InferenceTensors.Int64, [-1]),
        new(InferenceTensors.CertifiedRadius, InferenceTensors.Fp64, [-1]),
    ];

    /// <summary>The model named (an id or an alias), checked against the version (its id) when one is given.</summary>
    public static async Task<ModelLease> AcquireAsync(ImageScoring scoring, string name, string? version, CancellationToken cancellationToken)
    {
        var lease = await scoring.LeaseAsync(name, cancellationToken) ?? throw InferenceError.NotFound($"No model is named '{ClientText.Short(name)}'; GET /models lists them.");
        string id = lease.Model.Record.Id;
        if (string.IsNullOrEmpty(version) || version == id) return lease;
        lease.Dispose();
        throw InferenceError.NotFound($"Model '{ClientText.Short(name)}' has no version '{ClientText.Short(version)}'; its version is its id, {id}.");
    }

    /// <summary>N of an input of shape [N, 784] or [N, 1, 28, 28] and datatype FP32.</summary>
    public static int ImageCount(string? name, string? datatype, IReadOnlyList<long> shape, int maxImages)
    {
        if (name != InferenceTensors.Input) throw InferenceError.BadRequest($"The input must be named \"{InferenceTensors.Input}\" (see the model's metadata).");
        if (datatype != InferenceTensors.Fp32) throw InferenceError.BadRequest($"The input's datatype must be \"{InferenceTensors.Fp32}\" (got \"{datatype}\").");
        bool flat = shape is [_, PixelBatch.PixelsPerImage];
        bool image = shape is [_, 1, MnistFile.ImageSide, MnistFile.ImageSide];
        if (!flat && !image) throw InferenceError.BadRequest($"The input's shape must be [N, 784] or [N, 1, 28, 28] (got [{string.Join(", ", shape)}]).");
        if (shape[0] < 1 || shape[0] > maxImages) throw InferenceError.BadRequest($"N must be in 1..{maxImages} images per request (got {shape[0]}).");
        return (int)shape[0];
    }

    /// <summary>Every output, for a request that names none.</summary>
    public static List<RequestedOutput> AllOutputs(bool binary) => [.. InferenceTensors.Outputs.Select(name => new RequestedOutput(name, binary))];

    /// <summary>Adds an output a request names, refusing unknown names and repeats.</summary>
    public static void AddOutput(List<RequestedOutput> outputs, string? name, bool binary)
    {
        if (name is null || !InferenceTensors.Outputs.Contains(name))
            throw InferenceError.BadRequest($"Unknown output {(name is null ? "(no name)" : $"\"{name}\"")}; the outputs are {string.Join(", ", InferenceTensors.Outputs)}.");
        if (outputs.Any(o => o.Name == name)) throw InferenceError.BadRequest($"Output \"{name}\" is asked for twice.");
        outputs.Add(new RequestedOutput(name, binary));
    }

    /// <summary>Refuses NaN, infinities and values outside [0, 1], as POST /predict does.</summary>
    public static void CheckPixels(ReadOnlySpan<float> pixels)
    {
        if (PixelRange.Problem(pixels) is { } problem) throw InferenceError.BadRequest(problem);
    }

    /// <summary>
    /// Takes <paramref name="count"/> permits from the client's image budget (Serving:PredictPermitsPerSecond),
    /// as /predict does: 413 for a request no budget could hold, 429 with Retry-After when this one is spent.
    /// </summary>
    public static void ChargeImages(HttpContext context, ImageScoring scoring, int count)
    {
        switch (scoring.Charge(context, count, count))
        {
            case ImageRateLimiter.Refusal.NeverFits:
                throw new InferenceError(StatusCodes.Status413PayloadTooLarge, $"This request has {count} images; the rate limit (Serving:PredictPermitsPerSecond) allows {scoring.PermitsPerSecond} per second per client.");
            case ImageRateLimiter.Refusal.Spent:
                throw new InferenceError(StatusCodes.Status429TooManyRequests, $"This client may send {scoring.PermitsPerSecond} images per second (Serving:PredictPermitsPerSecond) and has used them; retry after {context.Response.Headers.RetryAfter} s.");
        }
    }

    /// <summary>The protocol's answer to the request <paramref name="id"/> for the model it called <paramref name="name"/>.</summary>
    public static InferenceResult Answer(CertifiedScores scores, string name, string? id, IReadOnlyList<RequestedOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var model = scores.Model;
        return new InferenceResult(name, model.Record.Id, id, outputs, scores.Count, model.Outputs, scores.Scores, Array.ConvertAll(scores.Labels, label => (long)label), scores.Radii);
    }
}
