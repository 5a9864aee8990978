using System.Globalization;
using System.Threading.RateLimiting;
using LipService.Api.Monitoring;
using Microsoft.Extensions.Options;

namespace LipService.Api.Serving;

/// <summary>
/// The rate limit of /predict, /v2 and /attack, per client address, in images: a request of N images
/// (or an attack of N steps) takes N permits from a token bucket that holds and refills <see cref="ServingOptions.PredictPermitsPerSecond"/>.
/// </summary>
/// <remarks>
/// Charged from the handler rather than by the rate-limiting middleware, which runs before the body is
/// read and so can only count requests, letting one request of 1,024 images cost what one image does.
/// The handler takes one permit before reading anything (so malformed bodies are not free) and the
/// rest once it has counted the images, before any image is decoded or scored.
/// </remarks>
public sealed class ImageRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets;

    private readonly ServiceMetrics _metrics;

    public ImageRateLimiter(IOptions<ServingOptions> options, ServiceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        PermitsPerSecond = options.Value.PredictPermitsPerSecond;
        int permits = PermitsPerSecond;
        _buckets = PartitionedRateLimiter.Create<string, string>(client => permits <= 0
            ? RateLimitPartition.GetNoLimiter("off")
            : RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = permits,
                TokensPerPeriod = permits,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            }));
    }

    /// <summary>Images per second per client; 0 or less: no limit.</summary>
    public int PermitsPerSecond { get; }

    /// <summary>
    /// Whether a request of <paramref name="images"/> could ever be let through: a bucket never holds
    /// more than one second's permits.
    /// </summary>
    public bool Admits(int images) => PermitsPerSecond <= 0 || images <= PermitsPerSecond;

    /// <summary>Takes <paramref name="permits"/> from the client's bucket, if it holds that many now.</summary>
    /// <returns>A lease to check <see cref="RateLimitLease.IsAcquired"/> on; dispose it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">More permits than <see cref="Admits"/> allows.</exception>
    public RateLimitLease Acquire(HttpContext context, int permits)
    {
        ArgumentNullException.ThrowIfNull(context);
        // With the limit off, no partition lookup: the partitioned limiter's lock is contended under load.
        if (PermitsPerSecond <= 0) return Unlimited.Lease;
        var lease = _buckets.AttemptAcquire(ClientKey(context), permits);
        // Every refusal here is a 429: a request the bucket could never admit is refused (413) before it asks.
        if (!lease.IsAcquired) _metrics.RequestRateLimited();
        return lease;
    }

    /// <summary>Sets Retry-After from a refused lease: its own estimate where it has one, else 1 second.</summary>
    public static void SetRetryAfter(HttpResponse response, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(lease);
        int seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? (int)Math.Clamp(Math.Ceiling(retryAfter.TotalSeconds), 1, int.MaxValue)
            : 1;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Takes <paramref name="permits"/> for a request that costs <paramref name="cost"/> images in all
    /// (the rest was taken on arrival): <see cref="Refusal.NeverFits"/> when no bucket could hold the
    /// cost, <see cref="Refusal.Spent"/> (Retry-After set) when this client's bucket is short now.
    /// Each endpoint words the refusal in its own protocol.
    /// </summary>
    public Refusal Charge(HttpContext context, int cost, int permits)
    {
        if (!Admits(cost)) return Refusal.NeverFits;
        if (permits < 1) return Refusal.None;
        using var lease = Acquire(context, permits);
        if (lease.IsAcquired) return Refusal.None;
        SetRetryAfter(context.Response, lease);
        return Refusal.Spent;
    }

    /// <summary>Why <see cref="Charge"/> refused: no limit is met (None), no budget could hold the request (413), or this one is used up (429).</summary>
    public enum Refusal { None, NeverFits, Spent }

    public static string ClientKey(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public void Dispose() => _buckets.Dispose();

    /// <summary>The lease of a limiter that is off: always acquired, nothing to release.</summary>
    private sealed class Unlimited : RateLimitLease
    {
        public static readonly Unlimited Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
