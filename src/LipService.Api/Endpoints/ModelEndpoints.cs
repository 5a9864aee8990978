using LipService.Api.Contracts;
using LipService.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LipService.Api.Endpoints;

/// <summary>Trained models: their metrics, bounds, certificates and weights.</summary>
public static class ModelEndpoints
{
    public static RouteGroupBuilder MapModelEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/models").WithTags("Models")
            // Every route reads or writes the store: 503 when it cannot be reached (see StoreFailureMiddleware).
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/", ListModels)
            .WithName("ListModels")
            .WithSummary("List trained models, newest first")
            .WithDescription("Paged with `offset` (≥ 0) and `limit` (1-500, default 50). Each model lists the aliases that point at it.");
        group.MapGet("/{id}", GetModel)
            .WithName("GetModel")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get a model")
            .WithDescription("Spec, final metrics, the exact Lipschitz bound L (product of the exported kernels' largest singular values), the certified-accuracy curve on the test split, and the aliases that point at the model.");
        group.MapGet("/{id}/weights", GetWeights)
            .WithName("GetModelWeights")
            // Stream is documented as binary; a typeless Produces would leave the 200 without content.
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Download the exported weights")
            .WithDescription("Plain linear layers holding the normalized kernels, in TorchSharp's module format (load with `ExportedNetwork.Deserialize(spec, bytes)`; the bound is recomputed from them).");
        return group;
    }

    private static async Task<Results<Ok<PagedResponse<ModelResponse>>, ValidationProblem>> ListModels(
        IJobCatalog store, CancellationToken cancellationToken, int offset = 0, int limit = 50)
    {
        if (Paging.Check(offset, limit) is { } badPage) return badPage;
        var models = await store.ListModelsAsync(offset, limit, cancellationToken);
        int total = await store.CountModelsAsync(cancellationToken);
        // Aliases are few: one read of all of them serves the page.
        var aliases = (await store.ListAliasesAsync(cancellationToken: cancellationToken)).ToLookup(a => a.ModelId, a => a.Name);
        return TypedResults.Ok(new PagedResponse<ModelResponse>(
            [.. models.Select(m => ModelResponse.From(m) with { Aliases = [.. aliases[m.Id]] })], total, offset, limit));
    }

    private static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> GetModel(string id, IJobCatalog store, CancellationToken cancellationToken)
    {
        if (await store.GetModelAsync(id, cancellationToken) is not { } model) return Problems.NotFound("Model", id);
        var aliases = await store.ListAliasesAsync(id, cancellationToken);
        return TypedResults.Ok(ModelResponse.From(model) with { Aliases = [.. aliases.Select(a => a.Name)] });
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetWeights(string id, IJobCatalog store, CancellationToken cancellationToken)
        => await store.GetModelWeightsAsync(id, cancellationToken) is { } weights
            ? TypedResults.File(weights, "application/octet-stream", $"lipservice-model-{id}.bin")
            : Problems.NotFound("Model", id);
}
