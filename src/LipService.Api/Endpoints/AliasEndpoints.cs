using LipService.Api.Contracts;
using LipService.Api.Serving;
using LipService.Api.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LipService.Api.Endpoints;

/// <summary>Aliases: names that point at models, among them the default model of /predict.</summary>
public static class AliasEndpoints
{
    private const string SetDescription =
        "Creates the alias, or moves it, to point at the model; answers the alias. The alias `default` (setting `Serving:DefaultAlias`) chooses the model "
        + "that answers /predict when no model is named: until it is set that is the newest succeeded model, so a new job or sweep changes the answers. "
        + "The change reaches /predict within a second. 400 when the name is not a valid alias (" + AliasNames.Rule + "); 404 when no model has the id. "
        + "Needs X-Api-Key when an API key is configured.";

    public static IEndpointRouteBuilder MapAliasEndpoints(this IEndpointRouteBuilder app)
    {
        // Every route reads or writes the store: 503 when it cannot be reached (see StoreFailureMiddleware).
        var models = app.MapGroup("/models").WithTags("Aliases").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        models.MapPut("/{id}/aliases/{alias}", SetAlias).RequireApiKey()
            .WithName("SetAlias")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithSummary("Point an alias at a model")
            .WithDescription(SetDescription);
        models.MapPost("/{id}/aliases/{alias}", SetAlias).RequireApiKey()
            .WithName("SetAliasByPost")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithSummary("Point an alias at a model (same as PUT)")
            .WithDescription(SetDescription);
        models.MapDelete("/{id}/aliases/{alias}", DeleteModelAlias).RequireApiKey()
            .WithName("DeleteModelAlias")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithSummary("Delete an alias of this model")
            .WithDescription("As DELETE /aliases/{alias}, on the route that sets it: deletes the alias if it points at this model. "
                + "404 when no alias has the name, or when it points at another model (then it stays). Needs X-Api-Key when an API key is configured.");

        var aliases = app.MapGroup("/aliases").WithTags("Aliases").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        aliases.MapGet("/", ListAliases)
            .WithName("ListAliases")
            .WithSummary("List aliases, and say which model answers /predict by default")
            .WithDescription("Every alias by name, the name of the default alias and the model it points at; `defaultModelSource` is `newest` while the default alias is not set (then the newest succeeded model answers /predict when no model is named).");
        aliases.MapGet("/{alias}", GetAlias)
            .WithName("GetAlias")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Get an alias")
            .WithDescription("The model the alias points at and when it was set. 404 when no alias has the name.");
        aliases.MapDelete("/{alias}", DeleteAlias).RequireApiKey()
            .WithName("DeleteAlias")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithSummary("Delete an alias")
            .WithDescription("The model stays. Deleting the default alias brings back the newest succeeded model as /predict's default, within a second. 404 when no alias has the name. Needs X-Api-Key when an API key is configured.");
        return app;
    }

    private static async Task<Results<Ok<AliasResponse>, ValidationProblem, ProblemHttpResult>> SetAlias(
        string id, string alias, IAliasCatalog store, CancellationToken cancellationToken)
    {
        if (!AliasNames.IsValid(alias)) return Problems.Invalid("alias", $"'{ClientText.Short(alias)}' is not a valid alias: {AliasNames.Rule}.");
        return await store.SetAliasAsync(alias, id, cancellationToken) is { } set
            ? TypedResults.Ok(AliasResponse.From(set))
            : Problems.NotFound("Model", id);
    }

    private static async Task<Ok<AliasListResponse>> ListAliases(IAliasCatalog store, IOptions<ServingOptions> serving, CancellationToken cancellationToken)
    {
        var all = await store.ListAliasesAsync(cancellationToken: cancellationToken);
        string defaultAlias = serving.Value.DefaultAlias;
        var chosen = all.FirstOrDefault(a => a.Name == defaultAlias);
        return TypedResults.Ok(new AliasListResponse(
            [.. all.Select(AliasResponse.From)], defaultAlias, chosen?.ModelId,
            (chosen is null ? ModelSource.Newest : ModelSource.Alias(defaultAlias)).HeaderValue));
    }

    private static async Task<Results<Ok<AliasResponse>, ProblemHttpResult>> GetAlias(string alias, IAliasCatalog store, CancellationToken cancellationToken)
        => await store.GetAliasAsync(alias, cancellationToken) is { } found ? TypedResults.Ok(AliasResponse.From(found)) : NoSuchAlias(alias);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAlias(string alias, IAliasCatalog store, CancellationToken cancellationToken)
        => await store.DeleteAliasAsync(alias, cancellationToken: cancellationToken) ? TypedResults.NoContent() : NoSuchAlias(alias);

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteModelAlias(string id, string alias, IAliasCatalog store, CancellationToken cancellationToken)
    {
        // The condition is in the delete itself: an alias moved to another model meanwhile stays.
        if (await store.DeleteAliasAsync(alias, id, cancellationToken)) return TypedResults.NoContent();
        return await store.GetAliasAsync(alias, cancellationToken) is { } elsewhere
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Alias not found",
                detail: $"The alias '{ClientText.Short(alias)}' points at model '{elsewhere.ModelId}', not '{ClientText.Short(id)}'; it was left as it is. DELETE /aliases/{ClientText.Short(alias)} deletes it wherever it points.")
            : NoSuchAlias(alias);
    }

    private static ProblemHttpResult NoSuchAlias(string alias) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Alias not found",
        detail: $"No alias is named '{ClientText.Short(alias)}'. GET /aliases lists them.");
}
