using System.Net;
using System.Text.RegularExpressions;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Reliability;

/// <summary>The Hangfire dashboard is a view: its actions would bypass our store and the API key.</summary>
public sealed partial class DashboardTests : IDisposable
{
    private readonly TempFolder folder = new("lipservice-dashboard-");

    private string dataDirectory => folder.Path;

    [Fact]
    public async Task ActionsAreRefusedEvenToLocalCallersAndTheJobIsUntouched()
    {
        using var service = await ServiceProcess.StartAsync(dataDirectory, "--ApiKey", "s3cret");
        var client = service.Client;
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        var job = await client.TrainAsync("""{"epochs": 1, "seed": 1}""");
        client.DefaultRequestHeaders.Remove("X-Api-Key");

        // Our store records success inside the run; Hangfire marks its job succeeded once the run returns.
        string hangfireId = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(15); hangfireId.Length == 0 && DateTime.UtcNow < deadline; await Task.Delay(100))
            hangfireId = DetailsLink().Match(await client.GetStringAsync("/hangfire/jobs/succeeded")).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(hangfireId), "the dashboard lists the succeeded run");

        foreach (string action in new[] { "requeue", "delete" })
        {
            var response = await client.PostAsync($"/hangfire/jobs/actions/{action}/{hangfireId}", null);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/hangfire/jobs/details/{hangfireId}")).StatusCode);
        var after = await client.WaitForEndAsync(job["id"]!.GetValue<string>(), TimeSpan.FromSeconds(5));
        ApiClient.AssertStatus(after, "succeeded");
    }

    [GeneratedRegex("jobs/details/([0-9a-f-]{36})")]
    private static partial Regex DetailsLink();

    public void Dispose() => folder.Dispose();
}
