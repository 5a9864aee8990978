using System.Globalization;
using System.Text.Json;
using LipService.Api.Storage;
using LipService.Training.Jobs;

namespace LipService.Api.Endpoints;

/// <summary>
/// Server-Sent Events of a job's epochs: one <c>epoch</c> event per completed epoch (id = epoch
/// number, so <c>Last-Event-ID</c> resumes after it), then one <c>status</c> event when the job
/// ends. The store is polled, so the job may run in any process.
/// </summary>
internal static class MetricsStream
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(15);

    public static async Task WriteAsync(HttpContext context, IJobCatalog store, string jobId, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        int last = int.TryParse(context.Request.Headers["Last-Event-ID"], NumberStyles.None, CultureInfo.InvariantCulture, out int resumeAfter) ? resumeAfter : 0;
        long lastWrite = Environment.TickCount64;
        try
        {
            while (true)
            {
                // Read the status before the epochs: a job seen ended has all its epochs stored.
                var job = await store.GetJobAsync(jobId, cancellationToken);
                if (job is null) return;
                foreach (var epoch in await store.GetEpochsAsync(jobId, last, cancellationToken))
                {
                    await WriteEventAsync(response, "epoch", epoch.Epoch.ToString(CultureInfo.InvariantCulture), JsonSerializer.Serialize(Contracts.EpochMetricsResponse.From(epoch), json), cancellationToken);
                    last = epoch.Epoch;
                    lastWrite = Environment.TickCount64;
                }
                if (job.Status.IsTerminal())
                {
                    await WriteEventAsync(response, "status", null, JsonSerializer.Serialize(Contracts.JobResponse.From(job), json), cancellationToken);
                    return;
                }
                if (Environment.TickCount64 - lastWrite > HeartbeatInterval.TotalMilliseconds)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    lastWrite = Environment.TickCount64;
                }
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, string name, string? id, string data, CancellationToken cancellationToken)
    {
        string text = id is null ? $"event: {name}\ndata: {data}\n\n" : $"id: {id}\nevent: {name}\ndata: {data}\n\n";
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
