using LipService.Api.Storage;

namespace LipService.Api.Hosting;

/// <summary>
/// Answers a request the store could not serve — full disk, unreachable or unwritable database, damaged
/// file — with a problem that says what failed, where the database is and what to do: 507 for a full
/// disk, 503 otherwise. One place for every endpoint: each of the store's writes is one statement or one
/// transaction, so the write that threw left nothing behind (POST /jobs and DELETE /jobs/{id} are one
/// write each). Other exceptions pass on to the generic 500 handler.
/// </summary>
public sealed partial class StoreFailureMiddleware(RequestDelegate next, IDbConnectionFactory connections, IProblemDetailsService problems, ILogger<StoreFailureMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && StoreFailure.Classify(e, connections) is { } kind)
        {
            string detail = $"{StoreFailure.Describe(kind, connections.Location, e)} The write that failed was rolled back.";
            LogStoreFailure(logger, e, context.Request.Method, context.Request.Path, detail);
            int status = kind == StoreFailureKind.DiskFull ? StatusCodes.Status507InsufficientStorage : StatusCodes.Status503ServiceUnavailable;
            context.Response.Clear();
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status503ServiceUnavailable) context.Response.Headers.RetryAfter = "30";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                Exception = e,
                ProblemDetails =
                {
                    Status = status,
                    // ASP.NET Core has no default type for 507; RFC 4918 defines it.
                    Type = kind == StoreFailureKind.DiskFull ? "https://www.rfc-editor.org/rfc/rfc4918#section-11.5" : "https://tools.ietf.org/html/rfc9110#section-15.6.4",
                    Title = kind == StoreFailureKind.DiskFull ? "Insufficient storage" : "Store unavailable",
                    Detail = detail,
                },
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path}: {Detail}")]
    private static partial void LogStoreFailure(ILogger logger, Exception exception, string method, string path, string detail);
}
