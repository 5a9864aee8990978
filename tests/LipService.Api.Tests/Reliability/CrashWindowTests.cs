using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;

namespace LipService.Api.Tests.Reliability;

/// <summary>
/// The real process killed at the worst moment of an epoch's writes — right after its checkpoint
/// commits — loses nothing: after a restart the job resumes and every epoch is recorded once.
/// (When the epoch's row was a second transaction after the checkpoint, this left a hole.)
/// </summary>
public sealed class CrashWindowTests : IDisposable
{
    private readonly TempFolder folder = new("lipservice-crash-");

    private string dataDirectory => folder.Path;

    [Fact]
    public async Task AProcessKilledRightAfterACheckpointResumesWithEveryEpochOnce()
    {
        string id;
        using (var doomed = await ServiceProcess.StartAsync(dataDirectory, "--Training:KillAfterCheckpointOfEpoch", "3"))
        {
            var created = await doomed.Client.PostJsonAsync("/jobs", """{"epochs": 6, "seed": 3}""");
            id = (await created.JsonAsync())["id"]!.GetValue<string>();
            Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the fault-injection kill did not happen");
        }

        using var restarted = await ServiceProcess.StartAsync(dataDirectory);
        var client = restarted.Client;
        var job = await client.WaitForEndAsync(id, TimeSpan.FromSeconds(90));
        ApiClient.AssertStatus(job, "succeeded");
        Assert.Equal(6, job["epochsCompleted"]!.GetValue<int>());
        var epochs = (await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}/metrics"))!["epochs"]!.AsArray();
        Assert.Equal(Enumerable.Range(1, 6), epochs.Select(e => e!["epoch"]!.GetValue<int>()));
        Assert.Matches("Training starts after epoch 3", restarted.Log);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonNode>("/models"))!["total"]!.GetValue<int>());
    }

    public void Dispose() => folder.Dispose();
}
