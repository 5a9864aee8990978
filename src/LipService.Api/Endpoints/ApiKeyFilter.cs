using System.Security.Cryptography;
using System.Text;
using LipService.Api.Hosting;
using Microsoft.Extensions.Options;

namespace LipService.Api.Endpoints;

/// <summary>Requires X-Api-Key on changing endpoints when an API key is configured.</summary>
public sealed class ApiKeyFilter(IOptions<LipServiceHostOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        string? expected = options.Value.ApiKey;
        if (string.IsNullOrEmpty(expected)) return next(context);
        string given = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))) return next(context);
        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "API key required",
            detail: $"This endpoint needs the header {HeaderName} with the configured key."));
    }
}

public static class ApiKeyEndpointExtensions
{
    /// <summary>
    /// Guards the endpoint with <see cref="ApiKeyFilter"/> and says so in the OpenAPI document
    /// (security requirement and 401), so the two cannot drift apart.
    /// </summary>
    public static RouteHandlerBuilder RequireApiKey(this RouteHandlerBuilder builder)
        => builder.AddEndpointFilter<ApiKeyFilter>()
            .WithMetadata(ApiKeyRequiredMetadata.Instance)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
}
