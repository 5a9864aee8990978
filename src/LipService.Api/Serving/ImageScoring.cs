using System.Globalization;
using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Api.Imaging;
using LipService.Api.Monitoring;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LipService.Api.Serving;

/// <summary>
/// Scores images with a model and certifies each answer, for every interface that does so (POST
/// /predict, POST /attack, the Open Inference Protocol over REST and gRPC) and for the preloader:
/// the model by id, alias or default and its lease, the client's image budget, the uploads' pixel
/// budget and the per-data-set preprocessing, the scoring and its certificates, and the metrics.
/// </summary>
/// <remarks>
/// Each endpoint reads its protocol, calls these steps in its own order (/attack queues between the
/// budget and the model, /v2 checks a version) and words the refusals in its protocol: the messages
/// differ between them, so refusals come back as values (<see cref="ImageRateLimiter.Refusal"/>,
/// a null lease) or as <see cref="UploadRefusedException"/>, never as HTTP answers.
/// </remarks>
public sealed class ImageScoring(
    ModelCache models,
    ImageRateLimiter rateLimiter,
    MnistDigitPreprocessor digitPreprocessor,
    FashionItemPreprocessor itemPreprocessor,
    DatasetImagePreprocessor datasetPreprocessor,
    ServiceMetrics metrics,
    IOptions<ServingOptions> serving,
    IOptions<ImageUploadOptions> uploads,
    IOptions<JsonOptions> json)
{
    /// <summary>Images per request (Serving:MaxDigits).</summary>
    public int MaxImages => serving.Value.MaxDigits;

    /// <summary>Images per second per client (Serving:PredictPermitsPerSecond); 0 or less: no limit.</summary>
    public int PermitsPerSecond => rateLimiter.PermitsPerSecond;

    /// <inheritdoc cref="ImageRateLimiter.Charge"/>
    public ImageRateLimiter.Refusal Charge(HttpContext context, int cost, int permits) => rateLimiter.Charge(context, cost, permits);

    /// <inheritdoc cref="ModelCache.AcquireAsync"/>
    public Task<ModelLease?> LeaseAsync(string? modelId, CancellationToken cancellationToken) => models.AcquireAsync(modelId, cancellationToken);

    /// <summary>
    /// Reads every upload's header, none of its pixels: a request whose images would cost more than
    /// Images:MaxPixelsPerRequest to decode is refused before the first pixel is decoded.
    /// </summary>
    /// <exception cref="UploadRefusedException">A file over Images:MaxBytes or the request over its pixel budget (413), or a file that is not an image (400).</exception>
    public async Task<EncodedImage[]> ReadUploadsAsync(IReadOnlyList<IFormFile> files, CancellationToken cancellationToken)
    {
        var limits = uploads.Value;
        var encoded = new EncodedImage[files.Count];
        long pixels = 0;
        for (int i = 0; i < files.Count; i++)
        {
            if (files[i].Length > limits.MaxBytes)
            {
                throw new UploadRefusedException(StatusCodes.Status413PayloadTooLarge, $"files[{i}]",
                    $"'{files[i].FileName}' has {files[i].Length} bytes; at most {limits.MaxBytes} per image.", "Image too large");
            }
            try
            {
                await using var stream = files[i].OpenReadStream();
                encoded[i] = await digitPreprocessor.ReadAsync(stream, files[i].FileName, cancellationToken);
            }
            catch (ImageRejectedException e)
            {
                throw new UploadRefusedException(StatusCodes.Status400BadRequest, $"files[{i}]", e.Message);
            }
            pixels += encoded[i].DecodedPixels;
            if (pixels > limits.MaxPixelsPerRequest) throw OverPixelBudget(encoded[i], i, pixels, limits.MaxPixelsPerRequest);
        }
        return encoded;
    }

    /// <summary>Decodes the uploads into the form of the model's data set: MNIST digits, Fashion-MNIST items, or an uploaded dataset's images.</summary>
    /// <exception cref="UploadRefusedException">An image that cannot be decoded, or not of an uploaded dataset's size (400, naming its part).</exception>
    public PixelBatch Prepare(LoadedModel model, EncodedImage[] images)
    {
        var spec = model.Record.Spec;
        bool items = spec.IsFashionMnist;
        var prepared = new float[images.Length][];
        for (int i = 0; i < images.Length; i++)
        {
            try
            {
                prepared[i] = spec.Dataset.IsUploaded ? datasetPreprocessor.ToDataset(images[i], spec.Input, spec.Dataset.Name)
                    : items ? itemPreprocessor.ToFashionMnist(images[i])
                    : digitPreprocessor.ToMnist(images[i]);
            }
            catch (ImageRejectedException e)
            {
                throw new UploadRefusedException(StatusCodes.Status400BadRequest, $"files[{i}]", e.Message);
            }
        }
        return PixelBatch.From(prepared);
    }

    /// <summary>Scores the images of <paramref name="batch"/> and certifies each answer.</summary>
    public static CertifiedScores Certify(LoadedModel model, PixelBatch batch) => Certified(model, batch.Count, model.Score(batch));

    /// <summary>Scores <paramref name="count"/> images laid out at the start of <paramref name="pixels"/> and certifies each answer.</summary>
    public static CertifiedScores Certify(LoadedModel model, float[] pixels, int count) => Certified(model, count, model.Score(pixels, count));

    /// <summary>Counts an answered request and its radii in the serving metrics; call it once the answer is written.</summary>
    public void Served(PredictInput input, CertifiedScores scores) => metrics.PredictionsServed(input, scores.Radii);

    /// <summary>
    /// Loads the model a request without modelId would get, unless it is <paramref name="alreadyPreloaded"/>
    /// or already loaded, and warms its serving path up (<see cref="WarmUpAsync"/>).
    /// </summary>
    /// <returns>That model's id; null when there is none.</returns>
    public async Task<string?> PreloadDefaultAsync(string? alreadyPreloaded, bool reread, CancellationToken cancellationToken)
    {
        var (id, loaded) = await models.PreloadDefaultAsync(alreadyPreloaded, reread, cancellationToken);
        using (loaded)
        {
            if (loaded is not null) await WarmUpAsync(loaded.Model, cancellationToken);
        }
        return id;
    }

    /// <summary>
    /// Runs a one-image JSON /predict body's reading, scoring, certificates and answer through their
    /// code <see cref="LoadedModel.TierUpCalls"/> times without HTTP, metrics or rate limit, so that the
    /// first requests a new model gets run compiled code rather than the JIT's first tier.
    /// </summary>
    internal async Task WarmUpAsync(LoadedModel model, CancellationToken cancellationToken)
    {
        var options = json.Value.SerializerOptions;
        var body = System.Text.Encoding.UTF8.GetBytes($"{{\"images\": [[{string.Join(", ", Enumerable.Repeat("0.5", model.Record.Spec.Input.Pixels))}]]}}");
        for (int i = 0; i < LoadedModel.TierUpCalls; i++)
        {
            if (!PixelArrayScanner.TryReadPredictRequest(body, options, out var read) || read?.Images is not { } batch) return;
            var answer = PredictResponse.From(Certify(model, batch), batch, includeInput: false);
            await JsonSerializer.SerializeAsync(Stream.Null, answer, options, cancellationToken);
        }
    }

    private static CertifiedScores Certified(LoadedModel model, int count, float[] scores)
    {
        var labels = new int[count];
        var radii = new double[count];
        CertifiedAnswers.Compute(model, scores, labels, radii);
        return new CertifiedScores(model, count, scores, labels, radii);
    }

    private static UploadRefusedException OverPixelBudget(EncodedImage image, int index, long pixels, long budget)
    {
        string size = image.DecodeWidth == image.Width && image.DecodeHeight == image.Height
            ? $"{image.Width}×{image.Height} pixels"
            : $"{image.Width}×{image.Height} pixels (decoded at {image.DecodeWidth}×{image.DecodeHeight})";
        return new UploadRefusedException(StatusCodes.Status413PayloadTooLarge, $"files[{index}]",
            string.Create(CultureInfo.InvariantCulture,
                $"files[{index}] '{image.FileName}' is {size}; with the images before it this request needs {pixels:N0} decoded pixels, more than the {budget:N0} allowed per request (Images:MaxPixelsPerRequest). Send fewer or smaller images."),
            "Images too large to decode");
    }
}
