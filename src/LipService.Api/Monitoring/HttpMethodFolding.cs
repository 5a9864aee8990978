namespace LipService.Api.Monitoring;

/// <summary>
/// The method of a request as the HTTP metrics label it: one of the standard methods, else <c>other</c>.
/// </summary>
/// <remarks>
/// prometheus-net labels its series with <c>Request.Method</c> as sent, and a method is any token a
/// client likes: one made-up method per request would add ~21 series each, without bound. The
/// label cannot be computed separately, so the request's method itself is rewritten before the
/// metrics see it. That changes no answer: every endpoint here is mapped to standard methods
/// (routing and static files compare them ignoring case), so a made-up method matched nothing before and
/// matches nothing after.
/// </remarks>
public static class HttpMethodFolding
{
    /// <summary>The label value of every method that is not a standard one.</summary>
    public const string Other = "other";

    private static readonly string[] Known =
    [
        HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete,
        HttpMethods.Patch, HttpMethods.Options, HttpMethods.Trace, HttpMethods.Connect,
    ];

    /// <summary>The canonical (upper-case) standard method, or <see cref="Other"/>.</summary>
    public static string Fold(string method)
    {
        foreach (string known in Known)
        {
            // Same reference for the common case: Kestrel hands out the interned constants.
            if (ReferenceEquals(method, known) || string.Equals(method, known, StringComparison.OrdinalIgnoreCase)) return known;
        }
        return Other;
    }

    /// <summary>Rewrites each request's method to <see cref="Fold"/>'s answer; call before the HTTP metrics.</summary>
    public static IApplicationBuilder UseHttpMethodFolding(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        string method = context.Request.Method;
        string folded = Fold(method);
        if (!ReferenceEquals(method, folded)) context.Request.Method = folded;
        return next(context);
    });
}
