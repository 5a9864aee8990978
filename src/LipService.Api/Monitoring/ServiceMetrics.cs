using LipService.Api.Storage;
using LipService.Training.Jobs;
using Prometheus;

namespace LipService.Api.Monitoring;

/// <summary>
/// The service's own Prometheus instruments, in one registry per host. The registry is not
/// prometheus-net's static default, so two hosts in one process (tests) count apart.
/// </summary>
/// <remarks>
/// No label carries a model or job id: series are few and fixed (input kind, job status).
/// Label children are resolved once here so that /predict pays a few interlocked adds, no lookup.
/// </remarks>
public sealed partial class ServiceMetrics : ITrainingMetrics
{
    /// <summary>Radii are L2 distances in [0,1]-pixel space: the README's ε 0.3, 1 and 1.58 are bounds, 3 covers the best models.</summary>
    private static readonly double[] RadiusBuckets = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.25, 1.58, 2, 2.5, 3];

    /// <summary>The <c>input</c> label's values, indexed by <see cref="PredictInput"/>.</summary>
    private static readonly string[] InputLabels = ["json", "upload", "v2_json", "v2_binary", "grpc"];

    private readonly Counter.Child[] requests, digits;
    private readonly Histogram radius;
    private readonly Counter rateLimited;
    private readonly Counter epochs;
    private readonly Histogram epochDuration;
    private readonly Counter jobsFinished;
    private readonly Gauge jobs;
    private readonly JobStatusCounts counts;
    private readonly ILogger<ServiceMetrics> logger;

    public ServiceMetrics(JobStatusCounts counts, ILogger<ServiceMetrics> logger)
    {
        this.counts = counts;
        this.logger = logger;
        Registry = Metrics.NewCustomRegistry();
        // process_* and dotnet_* (CPU, memory, threads, GC collections): the runtime's own.
        DotNetStats.Register(Registry);
        Factory = Metrics.WithCustomRegistry(Registry);

        var input = new CounterConfiguration { LabelNames = ["input"] };
        var requestCounter = Factory.CreateCounter("lipservice_predict_requests_total",
            "Answered prediction requests, by input kind (json, upload: POST /predict with pixel arrays or image files; v2_json, v2_binary: Open Inference Protocol REST infer with JSON or binary tensor data; grpc: its gRPC ModelInfer).", input);
        var digitCounter = Factory.CreateCounter("lipservice_predict_digits_total", "Digits classified and certified, by input kind (as for lipservice_predict_requests_total).", input);
        requests = Array.ConvertAll(InputLabels, label => requestCounter.WithLabels(label));
        digits = Array.ConvertAll(InputLabels, label => digitCounter.WithLabels(label));
        radius = Factory.CreateHistogram("lipservice_predict_certified_radius", "Certified L2 radius of each answered digit (28x28 pixels in [0,1]): no smaller change of the input changes its label.",
            new HistogramConfiguration { Buckets = RadiusBuckets });
        rateLimited = Factory.CreateCounter("lipservice_rate_limited_requests_total", "Requests refused with 429 by the /predict rate limit (Serving:PredictPermitsPerSecond).");

        epochs = Factory.CreateCounter("lipservice_training_epochs_total", "Training epochs completed and stored by this process's runners.");
        epochDuration = Factory.CreateHistogram("lipservice_training_epoch_duration_seconds", "Training time of one epoch, evaluation included.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.1, 2, 12) });
        jobsFinished = Factory.CreateCounter("lipservice_training_jobs_finished_total", "Training jobs this process's runners ended, by final status.",
            new CounterConfiguration { LabelNames = ["status"] });
        jobs = Factory.CreateGauge("lipservice_training_jobs", "Jobs in the store by status, read at each scrape; status=\"queued\" is the queue length.",
            new GaugeConfiguration { LabelNames = ["status"] });
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            // Series that exist from the start: a rate over a series born at its first event misses that event.
            if (status.IsTerminal()) jobsFinished.WithLabels(status.ToWire());
            jobs.WithLabels(status.ToWire());
        }
        Registry.AddBeforeCollectCallback(RefreshJobsAsync);
    }

    /// <summary>The registry /metrics exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Creates metrics in <see cref="Registry"/> (the HTTP request metrics go there too).</summary>
    public IMetricFactory Factory { get; }

    /// <summary>One answered request (/predict or the Open Inference Protocol), with its radii.</summary>
    public void PredictionsServed(PredictInput input, ReadOnlySpan<double> radii)
    {
        Count(input, radii.Length);
        foreach (double r in radii) radius.Observe(r);
    }

    private void Count(PredictInput input, int digitCount)
    {
        requests[(int)input].Inc();
        digits[(int)input].Inc(digitCount);
    }

    public void RequestRateLimited() => rateLimited.Inc();

    public void EpochCompleted(double seconds)
    {
        epochs.Inc();
        epochDuration.Observe(seconds);
    }

    public void JobFinished(JobStatus status) => jobsFinished.WithLabels(status.ToWire()).Inc();

    /// <summary>A store that cannot answer keeps the last counts: the scrape, and the process metrics in it, still succeed.</summary>
    private async Task RefreshJobsAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (status, count) in await counts.ReadAsync(cancellationToken)) jobs.WithLabels(status.ToWire()).Set(count);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStoreUnreadable(logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: job counts not refreshed, the store did not answer: {Reason}")]
    private static partial void LogStoreUnreadable(ILogger logger, string reason);
}
