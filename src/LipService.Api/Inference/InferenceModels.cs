using System.Reflection;
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

    /// <summary>GET /v2/models/{name} and gRPC ModelMetadata for the model a request called <paramref name="name"/>.</summary>
    public static ModelMetadataResponse Metadata(string name, LoadedModel model) =>
        new(name, [model.Record.Id], Platform, InputsOf(model.Record.Spec.Input), OutputsOf(model));

    /// <summary>
    /// The one input, [-1, C·H·W]: metadata has room for one shape, and this is the one Triton's and
    /// KServe's clients build from it; [N, C, H, W] is taken as well (<see cref="PixelsPerImage(IReadOnlyList{long}, LoadedModel)"/>).
    /// </summary>
    public static IReadOnlyList<TensorMetadata> InputsOf(ImageShape input) => [new(InferenceTensors.Input, InferenceTensors.Fp32, [-1, input.Pixels])];

    public static IReadOnlyList<TensorMetadata> OutputsOf(LoadedModel model) =>
    [
        new(InferenceTensors.Scores, InferenceTensors.Fp32, [-1, model.Outputs]),
        new(InferenceTensors.Label, InferenceTensors.Int64, [-1]),
        new(InferenceTensors.CertifiedRadius, InferenceTensors.Fp64, [-1]),
        new(InferenceTensors.ClassName, InferenceTensors.Bytes, [-1]),
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

    /// <summary>
    /// N of an input named "input" of datatype FP32. Only N of its shape is checked here: the client's
    /// budget is charged for N images before the model is looked up, and the rest of the shape is the
    /// model's (<see cref="PixelsPerImage(IReadOnlyList{long}, LoadedModel)"/>).
    /// </summary>
    public static int ImageCount(string? name, string? datatype, IReadOnlyList<long> shape, int maxImages)
    {
        if (name != InferenceTensors.Input) throw InferenceError.BadRequest($"The input must be named \"{InferenceTensors.Input}\" (see the model's metadata).");
        if (datatype != InferenceTensors.Fp32) throw InferenceError.BadRequest($"The input's datatype must be \"{InferenceTensors.Fp32}\" (got \"{datatype}\").");
        if (shape.Count == 0) throw InferenceError.BadRequest($"The input's shape must be {AnyShape} (got []).");
        if (shape[0] < 1 || shape[0] > maxImages) throw InferenceError.BadRequest($"N must be in 1..{maxImages} images per request (got {shape[0]}).");
        return (int)shape[0];
    }

    /// <summary>The input shapes in words, for messages written before the model is known.</summary>
    public const string AnyShape = "[N, C·H·W] or [N, C, H, W] (C·H·W as in the model's metadata)";

    /// <summary>The model's C·H·W, once <paramref name="shape"/> is checked to be [N, C·H·W] or [N, C, H, W] for it.</summary>
    public static int PixelsPerImage(IReadOnlyList<long> shape, LoadedModel model) => PixelsPerImage(shape, model.Record.Spec.Input, model.Record.Id);

    /// <param name="model">The model's name for the message.</param>
    public static int PixelsPerImage(IReadOnlyList<long> shape, ImageShape input, string model)
    {
        bool flat = shape is [_, var pixels] && pixels == input.Pixels;
        bool image = shape is [_, var channels, var height, var width] && channels == input.Channels && height == input.Height && width == input.Width;
        if (!flat && !image)
            throw InferenceError.BadRequest($"The input's shape must be {ShapesOf(input)} for model {ClientText.Short(model)} (got [{string.Join(", ", shape)}]).");
        return input.Pixels;
    }

    /// <summary>"[N, 784] or [N, 1, 28, 28]": the shapes an input of such images may have.</summary>
    public static string ShapesOf(ImageShape input) => $"[N, {input.Pixels}] or [N, {input.Channels}, {input.Height}, {input.Width}]";

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
        return new InferenceResult(name, model.Record.Id, id, outputs, scores.Count, model.Outputs, scores.Scores,
            Array.ConvertAll(scores.Labels, label => (long)label), scores.Radii, ClassNames(scores, outputs));
    }

    /// <summary>Each image's class name when the request asks for them, none otherwise (a string per image is not free).</summary>
    private static string[] ClassNames(CertifiedScores scores, IReadOnlyList<RequestedOutput> outputs)
    {
        foreach (var output in outputs)
        {
            if (output.Name == InferenceTensors.ClassName) return Array.ConvertAll(scores.Labels, scores.Model.Record.Spec.ClassName);
        }
        return [];
    }
}
