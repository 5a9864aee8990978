using Microsoft.Net.Http.Headers;

namespace LipService.Api.Hosting;

/// <summary>
/// <c>X-Content-Type-Options: nosniff</c> on every response: the JSON API echoes client text in its
/// problems, and a browser that sniffed one into HTML or script would run it on this origin.
/// </summary>
public static class NosniffHeader
{
    /// <summary>Call first: set as the headers go out, so it survives the exception handler's and the store middleware's Response.Clear().</summary>
    public static IApplicationBuilder UseNosniffHeader(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(SetHeader, context.Response);
        return next(context);
    });

    private static Task SetHeader(object state)
    {
        ((HttpResponse)state).Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        return Task.CompletedTask;
    }
}
