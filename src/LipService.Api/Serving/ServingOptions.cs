namespace LipService.Api.Serving;

/// <summary>Prediction settings (configuration section "Serving").</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>Digits per request.</summary>
    public int MaxDigits { get; set; } = 1024;

    /// <summary>Largest /predict body (JSON or multipart); larger requests get 413.</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Loaded models kept in memory; the least recently used is disposed beyond this.</summary>
    public int ModelCacheSize { get; set; } = 4;

    /// <summary>Batches up to this size use the managed SIMD scorer, larger ones libtorch.</summary>
    public int ManagedBatchLimit { get; set; } = 64;

    /// <summary>
    /// Digits per second per client address on /predict (a request of N digits or images takes N);
    /// also the most digits one request may carry while the limit is on. 0 turns the limiter off.
    /// </summary>
    public int PredictPermitsPerSecond { get; set; } = 20_000;
}
