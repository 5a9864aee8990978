using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace LipService.Api.Hosting;

/// <summary>
/// The web page at <c>/</c>: static files embedded in this assembly (WebPage/), served with a
/// content security policy that lets the page talk to this service only.
/// </summary>
public static class WebPageSetup
{
    // Nothing from another origin: no CDN, no font service, no analytics. Images drawn on canvases
    // become blob:/data: URLs; styles set from script (chart colours) need 'unsafe-inline' for style attributes.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseWebPage(this WebApplication app)
    {
        var files = new ManifestEmbeddedFileProvider(typeof(WebPageSetup).Assembly, "WebPage");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                // Revalidated on every load (ETag): a new version of the service never runs old scripts.
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
        return app;
    }
}
