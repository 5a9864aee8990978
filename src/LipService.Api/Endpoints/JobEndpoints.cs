using LipService.Api.Contracts;
using LipService.Api.Datasets;
using LipService.Api.Jobs;
using LipService.Api.Storage;
using LipService.Api.TrainingData;
using LipService.Training.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LipService.Api.Endpoints;

/// <summary>Training jobs: submit, list, inspect, follow, cancel.</summary>
public static class JobEndpoints
{
    public static RouteGroupBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/jobs").WithTags("Jobs")
            // Every route reads or writes the store: 503 when it cannot be reached (see StoreFailureMiddleware).
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/", CreateJob).RequireApiKey()
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithName("CreateJob")
            .Accepts<JobSpecRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Start a training job")
            .WithDescription("Queues the training described by the spec and answers 202 with the job and its Location. Every field is optional: `{}` (or an empty body) trains the notebook's model — MNIST 0 (+1) vs 8 (−1), SpectralDense(32) → SpectralDense(16) with GroupSort2, FrobeniusDense(1), HKR(α=10, m=1), Adam(1e-3), batch 128, 10 epochs. Invalid fields get 400 ProblemDetails naming each field; 409 when MNIST is missing and may not be downloaded (the problem names the folder and the files). Needs X-Api-Key when an API key is configured.");
        group.MapGet("/", ListJobs)
            .WithName("ListJobs")
            .WithSummary("List jobs, newest first")
            .WithDescription("Paged with `offset` (≥ 0) and `limit` (1-500, default 50).");
        group.MapGet("/{id}", GetJob)
            .WithName("GetJob")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a job")
            .WithDescription("Status (queued, running, succeeded, failed, cancelled), spec, times, progress, the model id once succeeded, the error once failed.");
        group.MapGet("/{id}/metrics", GetMetrics)
            .WithName("GetJobMetrics")
            .Produces<MetricsResponse>(StatusCodes.Status200OK, "application/json")
            .WithMetadata(new TextResponseMetadata("text/event-stream",
                "With `Accept: text/event-stream`: `id:`/`event: epoch`/`data:` per completed epoch, then `event: status` with the finished job."))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Epoch metrics, as JSON or a live Server-Sent Events stream")
            .WithDescription("JSON: the epochs completed so far. With `Accept: text/event-stream`: one `event: epoch` per completed epoch as it completes (`id:` = epoch number, `data:` = the epoch's metrics as JSON), then `event: status` with the finished job, and the stream closes. Reconnect with `Last-Event-ID: N` to receive only epochs after N.");
        group.MapDelete("/{id}", CancelJob).RequireApiKey()
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithName("CancelJob")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Cancel a job")
            .WithDescription("A queued job is cancelled at once; a running one stops within one batch and ends `cancelled`. 409 when the job had already ended.");
        group.MapPost("/{id}/cancel", CancelJob).RequireApiKey()
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithName("CancelJobByPost")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Cancel a job (same as DELETE)")
            .WithDescription("For clients that cannot send DELETE. 409 when the job had already ended.");
        return group;
    }

    private static async Task<Results<Accepted<JobResponse>, ValidationProblem, ProblemHttpResult>> CreateJob(
        HttpRequest request, JobScheduler scheduler, TrainingDataCheck trainingData, IDatasetCatalog datasets, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        JobSpecRequest? body = new();
        if (request.ContentLength is not 0 && (request.ContentLength is not null || request.HasJsonContentType()))
        {
            var (value, errors) = await JsonBody.ReadAsync<JobSpecRequest>(request, json.Value.SerializerOptions, cancellationToken);
            if (errors is not null) return TypedResults.ValidationProblem(errors);
            body = value;
        }
        var uploaded = await UploadedDatasets.FetchAsync(datasets, [body!.Dataset], cancellationToken);
        var (spec, specErrors) = body.Resolve(defaultSeed: Random.Shared.Next(), uploaded);
        if (specErrors.Count > 0) return TypedResults.ValidationProblem(specErrors);
        if (trainingData.Refusal([spec]) is { } refusal) return refusal;

        var job = await scheduler.SubmitAsync(spec, cancellationToken);
        return TypedResults.Accepted($"/jobs/{job.Id}", JobResponse.From(job));
    }

    private static async Task<Results<Ok<PagedResponse<JobResponse>>, ValidationProblem>> ListJobs(
        IJobCatalog store, CancellationToken cancellationToken, int offset = 0, int limit = 50)
    {
        if (Paging.Check(offset, limit) is { } badPage) return badPage;
        var jobs = await store.ListJobsAsync(offset, limit, cancellationToken);
        int total = await store.CountJobsAsync(cancellationToken);
        return TypedResults.Ok(new PagedResponse<JobResponse>([.. jobs.Select(JobResponse.From)], total, offset, limit));
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> GetJob(string id, IJobCatalog store, CancellationToken cancellationToken)
        => await store.GetJobAsync(id, cancellationToken) is { } job ? TypedResults.Ok(JobResponse.From(job)) : Problems.NotFound("Job", id);

    private static async Task<IResult> GetMetrics(string id, HttpContext context, IJobCatalog store, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(id, cancellationToken);
        if (job is null) return Problems.NotFound("Job", id);
        if (context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            await MetricsStream.WriteAsync(context, store, id, json.Value.SerializerOptions, cancellationToken);
            return TypedResults.Empty;
        }
        var epochs = await store.GetEpochsAsync(id, 0, cancellationToken);
        return TypedResults.Ok(new MetricsResponse(id, job.Status.ToWire(), [.. epochs.Select(EpochMetricsResponse.From)]));
    }

    private static async Task<Results<Ok<JobResponse>, ProblemHttpResult>> CancelJob(string id, IJobCatalog store, RunningJobs runningJobs, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(id, cancellationToken);
        if (job is null) return Problems.NotFound("Job", id);
        if (!await store.RequestCancelAsync(id, cancellationToken))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Job already ended",
                detail: $"Job '{id}' is {job.Status.ToWire()}; only queued or running jobs can be cancelled.");
        }
        // The store tells runners in any process; one running here is told at once.
        runningJobs.TryCancel(id);
        return TypedResults.Ok(JobResponse.From((await store.GetJobAsync(id, cancellationToken))!));
    }
}
