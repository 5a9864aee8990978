using System.Text.Json;
using LipService.Api.Contracts;
using LipService.Api.Datasets;
using LipService.Api.Jobs;
using LipService.Api.Storage;
using LipService.Api.Sweeps;
using LipService.Api.TrainingData;
using LipService.Training.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace LipService.Api.Endpoints;

/// <summary>Hyper-parameter sweeps: many jobs at once, spread over the workers, summarised as an accuracy-versus-robustness table.</summary>
public static class SweepEndpoints
{
    private static readonly double[] ReportedEpsilons = [0.5, 1.0, 1.58];

    public static RouteGroupBuilder MapSweepEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/sweeps").WithTags("Sweeps")
            // Every route reads or writes the store: 503 when it cannot be reached (see StoreFailureMiddleware).
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/", CreateSweep).RequireApiKey()
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithName("CreateSweep")
            .Accepts<SweepRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Start a sweep")
            .WithDescription("One job per combination of the listed values of alpha, minMargin, hidden, activation, learningRate and seed (at most 256); every other field from `base`. The jobs go to the queues like any job, so they spread over all workers. Answers 202 with the sweep.");
        group.MapGet("/{id}", GetSweep)
            .WithName("GetSweep")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a sweep's table")
            .WithDescription("Each job with its swept values, status, validation accuracy and certified accuracy at ε = 0.5, 1.0, 1.58, and the Pareto front: the succeeded jobs that no other job beats on all four at once.");
        return group;
    }

    private static async Task<Results<Accepted<SweepResponse>, ValidationProblem, ProblemHttpResult>> CreateSweep(
        HttpRequest request, ISweepCatalog store, IModelCatalog models, JobScheduler scheduler, TrainingDataCheck trainingData, IDatasetCatalog datasets, TimeProvider time, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, errors) = await JsonBody.ReadAsync<SweepRequest>(request, json.Value.SerializerOptions, cancellationToken);
        if (errors is not null) return TypedResults.ValidationProblem(errors);
        var uploaded = await UploadedDatasets.FetchAsync(datasets, [body!.Base?.Dataset], cancellationToken);
        var (specs, specErrors) = SweepPlanner.Expand(body, () => Random.Shared.Next(), uploaded);
        if (specErrors is not null) return TypedResults.ValidationProblem(specErrors);
        if (trainingData.Refusal(specs) is { } refusal) return refusal;

        var sweep = new SweepRecord(Guid.CreateVersion7().ToString("N"), time.GetUtcNow(), JsonSerializer.Serialize(body, json.Value.SerializerOptions));
        await store.CreateSweepAsync(sweep, cancellationToken);
        foreach (var spec in specs) await scheduler.SubmitAsync(spec, cancellationToken, sweep.Id);
        return TypedResults.Accepted($"/sweeps/{sweep.Id}", await DescribeAsync(sweep, store, models, cancellationToken));
    }

    private static async Task<Results<Ok<SweepResponse>, ProblemHttpResult>> GetSweep(string id, ISweepCatalog store, IModelCatalog models, CancellationToken cancellationToken)
        => await store.GetSweepAsync(id, cancellationToken) is { } sweep
            ? TypedResults.Ok(await DescribeAsync(sweep, store, models, cancellationToken))
            : Problems.NotFound("Sweep", id);

    private static async Task<SweepResponse> DescribeAsync(SweepRecord sweep, ISweepCatalog store, IModelCatalog models, CancellationToken cancellationToken)
    {
        var jobs = await store.ListSweepJobsAsync(sweep.Id, cancellationToken);
        var rows = new List<SweepJobRow>(jobs.Count);
        foreach (var job in jobs)
        {
            var model = job.ModelId is null ? null : await models.GetModelAsync(job.ModelId, cancellationToken);
            var certified = model is null ? null : CertifiedAccuracyResponse.From(model.CertifiedAccuracy.Where(p => ReportedEpsilons.Contains(p.Epsilon)));
            var s = job.Spec;
            rows.Add(new SweepJobRow(job.Id, job.Status.ToWire(), s.Alpha, s.MinMargin, s.Hidden, Training.Specs.SpecChoices.Activation.NameOf(s.Activation), s.LearningRate, s.Seed,
                job.ModelId, model?.Metrics.ValAccuracy, certified, Pareto: false));
        }

        var scored = rows.Select((row, index) => (row, index)).Where(r => r.row.ValAccuracy is not null && r.row.CertifiedAccuracy is not null).ToList();
        var front = ParetoFront.Of([.. scored.Select(r => (double[])[r.row.ValAccuracy!.Value, .. r.row.CertifiedAccuracy!.Select(p => p.Accuracy)])]);
        foreach (int f in front) rows[scored[f].index] = rows[scored[f].index] with { Pareto = true };

        var counts = jobs.GroupBy(j => j.Status.ToWire()).ToDictionary(g => g.Key, g => g.Count());
        string status = jobs.Any(j => !j.Status.IsTerminal()) ? "running"
            : jobs.All(j => j.Status == JobStatus.Succeeded) ? "succeeded" : "completed";
        return new SweepResponse(sweep.Id, sweep.CreatedAt, status, jobs.Count, counts, rows, [.. rows.Where(r => r.Pareto).Select(r => r.JobId)]);
    }
}
