using LipService.Api.Contracts;
using LipService.Api.Storage;
using LipService.Api.Weights;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

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
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream", "application/zip")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Download the exported weights")
            .WithDescription(
                "Plain layers holding the normalized kernels (state-dict names such as `layers.dense0.weight`, float32). " +
                "`format`: `torchsharp` (default; TorchSharp's module format, load with `ExportedNetwork.Deserialize(spec, bytes)`), " +
                "`safetensors` (its `__metadata__` holds the spec, classes and Lipschitz bounds as strings), " +
                "`pt` (a PyTorch state dict for `torch.load`, application/zip) or " +
                "`onnx` (opset 17: input `input` float32 [N, 784], output `scores` float32 [N, outputs]; the same metadata in `metadata_props`). " +
                "An unknown format answers 400; a model the format cannot express (ONNX: FullSort or GroupSort of more than 2) answers 422.");
        return group;
    }

    private static async Task<Results<Ok<PagedResponse<ModelResponse>>, ValidationProblem>> ListModels(
        IModelCatalog store, IAliasCatalog aliasCatalog, CancellationToken cancellationToken, int offset = 0, int limit = 50)
    {
        if (Paging.Check(offset, limit) is { } badPage) return badPage;
        var models = await store.ListModelsAsync(offset, limit, cancellationToken);
        int total = await store.CountModelsAsync(cancellationToken);
        // Aliases are few: one read of all of them serves the page.
        var aliases = (await aliasCatalog.ListAliasesAsync(cancellationToken: cancellationToken)).ToLookup(a => a.ModelId, a => a.Name);
        return TypedResults.Ok(new PagedResponse<ModelResponse>(
            [.. models.Select(m => ModelResponse.From(m) with { Aliases = [.. aliases[m.Id]] })], total, offset, limit));
    }

    private static async Task<Results<Ok<ModelResponse>, ProblemHttpResult>> GetModel(string id, IModelCatalog store, IAliasCatalog aliasCatalog, CancellationToken cancellationToken)
    {
        if (await store.GetModelAsync(id, cancellationToken) is not { } model) return Problems.NotFound("Model", id);
        var aliases = await aliasCatalog.ListAliasesAsync(id, cancellationToken);
        return TypedResults.Ok(ModelResponse.From(model) with { Aliases = [.. aliases.Select(a => a.Name)] });
    }

    private static async Task<Results<FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetWeights(
        string id, IModelCatalog store, IOptions<JsonOptions> json, CancellationToken cancellationToken, string? format = null)
    {
        if (!WeightFormat.TryParse(format, out var weightFormat))
            return Problems.Invalid("format", $"Unknown weight format '{ClientText.Short(format!, 32)}'; use one of {string.Join(", ", WeightFormat.All.Select(f => f.Name))}.");
        var model = await store.GetModelAsync(id, cancellationToken);
        var stored = model is null ? null : await store.GetModelWeightsAsync(id, cancellationToken);
        if (model is null || stored is null) return Problems.NotFound("Model", id);
        if (WeightsConverter.ExplainNotConvertible(model, weightFormat) is { } reason)
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: $"Model cannot be exported as {weightFormat.Name}", detail: reason);
        byte[] bytes = WeightsConverter.Convert(model, stored, weightFormat, json.Value.SerializerOptions);
        return TypedResults.File(bytes, weightFormat.ContentType, weightFormat.FileName(id));
    }
}
