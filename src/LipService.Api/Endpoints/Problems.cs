using Microsoft.AspNetCore.Http.HttpResults;

namespace LipService.Api.Endpoints;

/// <summary>The ProblemDetails answers shared by the endpoint groups.</summary>
internal static class Problems
{
    public static ProblemHttpResult NotFound(string what, string id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: $"{what} not found",
        detail: $"No {what.ToLowerInvariant()} has the id '{Truncate(id)}'.");

    public static ValidationProblem Invalid(string field, string message)
        => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A hostile id is echoed back short.</summary>
    private static string Truncate(string id) => id.Length <= 64 ? id : id[..64] + "…";
}
