namespace LipService.Api.Endpoints;

/// <summary>The refusals every JSON endpoint that scores images with a model can answer, for the OpenAPI document.</summary>
internal static class ScoringProblems
{
    /// <summary>400 (the body), 404 (no such model), 413 (too large), 415 (not JSON or a form), 429 (image budget or queue), 503 (the store, for a model not yet in the cache).</summary>
    public static RouteHandlerBuilder ProducesScoringProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesValidationProblem()
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
