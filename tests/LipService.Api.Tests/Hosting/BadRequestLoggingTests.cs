using System.Net;
using System.Net.Http.Headers;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Hosting;

/// <summary>
/// A body beyond Kestrel's limit is the client's error: the real executable on 127.0.0.1 answers it
/// with a ProblemDetails that says the limit, and logs it as a request, not as a server fault with a stack trace.
/// </summary>
public sealed class BadRequestLoggingTests
{
    private const int FiftyMegabytes = 50 * 1024 * 1024;

    [Theory]
    [InlineData("/predict")]
    [InlineData("/jobs")]
    public async Task AnOversizedBodyIs413WithAProblemAndNoErrorInTheLog(string path)
    {
        using var folder = new TempFolder("lipservice-badrequest-");
        using var service = await ServiceProcess.StartAsync(folder.Path);
        var body = new ByteArrayContent(new byte[FiftyMegabytes]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        // Told the size first, the server refuses before the body is sent, as curl and browsers see it;
        // without that, the refusal closes the connection while this client still writes.
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        request.Headers.ExpectContinue = true;
        var response = await service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(413, problem["status"]!.GetValue<int>());
        Assert.Contains("bytes", problem["detail"]?.GetValue<string>() ?? "");
        // The request line is written once the response ends; wait for it rather than for a time.
        await WaitForLogAsync(service, $"POST {path} responded 413");
        string log = service.Log;
        Assert.DoesNotContain(" ERR]", log);
        Assert.DoesNotContain("BadHttpRequestException", log);
        Assert.DoesNotContain("   at ", log);
    }

    private static async Task WaitForLogAsync(ServiceProcess service, string text)
    {
        for (int i = 0; i < 100 && !service.Log.Contains(text, StringComparison.Ordinal); i++) await Task.Delay(50);
        Assert.Contains(text, service.Log);
    }
}
