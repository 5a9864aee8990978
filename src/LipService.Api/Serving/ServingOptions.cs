namespace LipService.Api.Serving;

/// <summary>Prediction settings (configuration section "Serving").</summary>
public sealed class ServingOptions
{
    public const string SectionName = "Serving";

    /// <summary>Digits per request.</summary>
    public int MaxDigits { get; set; } = 1024;

    /// <summary>Largest /predict body (JSON or multipart); larger requests get 413.</summary>
    public long MaxRequestBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// The alias whose model answers /predict when no model is named. While it is not set the newest
    /// succeeded model answers (and the answer says so), so a new job or sweep changes the answers until it is.
    /// </summary>
    public string DefaultAlias { get; set; } = "default";

    /// <summary>
    /// Load the model a request without modelId would get as soon as it changes (a job succeeded, the
    /// default alias moved; checked once a second), so the first requests after a training do not
    /// wait for the load: measured after a fresh start, the first 2 s of one-digit requests had a p99
    /// of 77–88 ms with the load on their path and 20 ms without.
    /// </summary>
    public bool PreloadDefaultModel { get; set; } = true;

    /// <summary>Loaded models kept in memory; the least recently used is disposed beyond this.</summary>
    public int ModelCacheSize { get; set; } = 4;

    /// <summary>Batches up to this size use the managed SIMD scorer, larger ones libtorch.</summary>
    public int ManagedBatchLimit { get; set; } = 64;

    /// <summary>
    /// Digits per second per client address on /predict (a request of N digits or images takes N);
    /// also the most digits one request may carry while the limit is on. 0 turns the limiter off.
    /// </summary>
    /// <remarks>
    /// 100,000 rather than the 20,000 it was when it counted requests (which let through up to 20
    /// million digits a second): a 100-digit JSON request takes a few milliseconds to parse, so one
    /// client sending one request after another may reach 30,000–40,000 digits a second on an idle
    /// core (an estimate; 7,000–10,000 measured in-process on a busy 2-core machine) and should not
    /// be refused for that; one sending 1,024-digit requests is held to about 100 a second.
    /// </remarks>
    public int PredictPermitsPerSecond { get; set; } = 100_000;
}
