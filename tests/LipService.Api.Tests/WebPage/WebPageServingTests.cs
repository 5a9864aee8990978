using System.Net;
using System.Text.RegularExpressions;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.WebPage;

/// <summary>
/// The page's files come out of the assembly with the right types and a policy that keeps the page
/// on this origin; everything index.html and the scripts load is there (a missing module would
/// leave a blank page that no status code reports).
/// </summary>
[Collection(TrainedServiceCollection.Name)]
public partial class WebPageServingTests(TrainedServiceFixture service)
{
    [Fact]
    public async Task TheRootServesThePageWithAPolicyThatAllowsOnlyThisOrigin()
    {
        using var client = service.CreateClient();
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<canvas id=\"pad\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EveryFileThePageLoadsIsServedAndNoneComesFromElsewhere()
    {
        using var client = service.CreateClient();
        string html = await client.GetStringAsync("/");
        var pending = new Queue<string>(Attribute().Matches(html).Select(m => m.Groups["url"].Value));
        // Same-origin paths and in-page anchors only: no http(s):// or protocol-relative URL.
        Assert.All(pending, url => Assert.True(url.StartsWith('#') || (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)), url));
        var seen = new HashSet<string>();
        while (pending.TryDequeue(out string? url))
        {
            if (!seen.Add(url) || url.StartsWith('#')) continue;
            var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            string? type = response.Content.Headers.ContentType?.MediaType;
            if (!url.EndsWith(".js", StringComparison.Ordinal)) continue;
            Assert.Equal("text/javascript", type);
            // Modules import their neighbours by relative path: follow them.
            string script = await response.Content.ReadAsStringAsync();
            string folder = url[..(url.LastIndexOf('/') + 1)];
            foreach (Match import in Import().Matches(script)) pending.Enqueue(folder + import.Groups["file"].Value);
        }
        Assert.Contains("/assets/js/try.js", seen);
        Assert.Contains("/assets/js/chart.js", seen);
        Assert.Contains("/assets/js/datasets.js", seen);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/assets/js/missing.js")).StatusCode);
    }

    [Fact]
    public async Task EveryElementTheScriptsLookUpByIdIsInThePage()
    {
        using var client = service.CreateClient();
        string html = await client.GetStringAsync("/");
        var ids = Id().Matches(html).Select(m => m.Groups["id"].Value).ToHashSet();
        Assert.Contains("section-datasets", ids);
        Assert.Contains("upload-form", ids);
        Assert.Contains(NavSection().Matches(html), m => m.Groups["section"].Value == "datasets");
        foreach (string script in new[] { "app", "api", "datasets", "models", "train", "try", "ui" })
        {
            string text = await client.GetStringAsync($"/assets/js/{script}.js");
            // $('id') and document.getElementById('id'): a missing id is a TypeError only when that code runs.
            foreach (Match lookup in LookUp().Matches(text))
                Assert.True(ids.Contains(lookup.Groups["id"].Value), $"{script}.js looks up #{lookup.Groups["id"].Value}, which index.html does not have");
        }
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("""from '\./(?<file>[a-z]+\.js)'""")]
    private static partial Regex Import();

    [GeneratedRegex("\\sid=\"(?<id>[^\"]+)\"")]
    private static partial Regex Id();

    [GeneratedRegex("""<a href="#(?<section>[a-z]+)" data-section="\k<section>">""")]
    private static partial Regex NavSection();

    [GeneratedRegex("""(?:\$|getElementById)\('(?<id>[a-z0-9-]+)'\)""")]
    private static partial Regex LookUp();
}
