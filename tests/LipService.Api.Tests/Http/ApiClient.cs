using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>Small helpers over HttpClient for the wire format (camelCase JSON).</summary>
internal static class ApiClient
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json)
        => client.PostAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Submits a job, waits until it has ended and asserts it succeeded; returns the final job.</summary>
    public static async Task<JsonNode> TrainAsync(this HttpClient client, string spec, TimeSpan? timeout = null)
    {
        var created = await client.PostJsonAsync("/jobs", spec);
        created.EnsureSuccessStatusCode();
        string id = (await created.JsonAsync())["id"]!.GetValue<string>();
        var job = await client.WaitForEndAsync(id, timeout ?? TimeSpan.FromMinutes(2));
        AssertStatus(job, "succeeded");
        return job;
    }

    /// <summary>Asserts a job's final status, showing its error and spec when it is another.</summary>
    public static void AssertStatus(JsonNode job, string expected)
    {
        string status = job["status"]!.GetValue<string>();
        Assert.True(status == expected,
            $"Job {job["id"]} ended {status}, not {expected}: error {job["error"]?.ToJsonString() ?? "null"}; spec {job["spec"]?.ToJsonString(Json)}");
    }

    public static async Task<JsonNode> WaitForEndAsync(this HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}", Json);
            string status = job!["status"]!.GetValue<string>();
            if (status is "succeeded" or "failed" or "cancelled") return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {id} still {status} after {timeout}.");
            await Task.Delay(100);
        }
    }

    public static async Task<JsonNode> WaitForStatusAsync(this HttpClient client, string id, string wanted, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}", Json);
            if (job!["status"]!.GetValue<string>() == wanted) return job;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Job {id} never became {wanted}.");
            await Task.Delay(50);
        }
    }
}
