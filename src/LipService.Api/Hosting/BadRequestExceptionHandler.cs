using Microsoft.AspNetCore.Diagnostics;

namespace LipService.Api.Hosting;

/// <summary>
/// A request Kestrel or the framework refused while an endpoint read it (a body beyond the size limit,
/// a truncated or malformed body) is the client's error: its own status and a problem that says why, and
/// one Information line instead of the exception handler's Error with a stack trace.
/// </summary>
/// <remarks>
/// Returning true also suppresses the exception handler's own diagnostics (.NET 10's default for
/// exceptions an <see cref="IExceptionHandler"/> handled). Endpoints that answer such bodies their own
/// way (the Open Inference Protocol's <c>{"error"}</c>) catch them first; what reaches here gets ProblemDetails.
/// </remarks>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems, ILogger<BadRequestExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, bad.StatusCode, bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = bad.StatusCode, Detail = bad.Message },
        });
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} refused with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, string path, int status, string reason);
}
