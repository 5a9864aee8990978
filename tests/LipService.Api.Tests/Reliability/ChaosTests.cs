using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Reliability;

/// <summary>
/// Twenty SIGKILLs of the real process while three jobs train — at random moments, and at a
/// chosen one of the epoch write path (right after a checkpoint commits) — then one clean run:
/// every job ends with epochs 1..N recorded exactly once and one model of its own.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20;
    private const int Epochs = 12;
    private readonly TempFolder folder = new("lipservice-chaos-");

    private string dataDirectory => folder.Path;

    [Fact]
    public async Task TwentyKillsAtRandomAndChosenPointsLoseAndRepeatNothing()
    {
        // A fixed seed keeps a failing schedule reproducible; the log below says what happened.
        var random = new Random(20261129);
        var ids = new List<string>();
        for (int kill = 1; kill <= Kills; kill++)
        {
            // Every fourth round dies right after some checkpoint commits; the others at a random time.
            bool chosen = kill % 4 == 0;
            string[] args = chosen ? ["--Training:KillAfterCheckpointOfEpoch", random.Next(1, Epochs + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
            ServiceProcess service;
            try
            {
                service = await ServiceProcess.StartAsync(dataDirectory, args);
            }
            catch (InvalidOperationException) when (chosen)
            {
                // A resumed job reached the chosen checkpoint before the service answered ready.
                output.WriteLine($"kill {kill}: died at the chosen checkpoint while starting");
                continue;
            }
            using (service)
            {
                while (ids.Count < 3)
                {
                    var created = await service.Client.PostJsonAsync("/jobs", $$"""{"epochs": {{Epochs}}, "seed": {{ids.Count + 1}}}""");
                    ids.Add((await created.JsonAsync())["id"]!.GetValue<string>());
                }
                // A chosen checkpoint comes within seconds: the jobs run one after another, each from epoch 1.
                int delay = chosen ? 5_000 : random.Next(200, 2500);
                bool died = await service.WaitForExitAsync(TimeSpan.FromMilliseconds(delay));
                if (!died) service.Kill();
                output.WriteLine($"kill {kill}: {(died ? "at the chosen checkpoint" : $"SIGKILL after {delay} ms")}");
            }
        }

        using var final = await ServiceProcess.StartAsync(dataDirectory);
        var client = final.Client;
        var models = new HashSet<string>();
        foreach (string id in ids)
        {
            var job = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(3));
            ApiClient.AssertStatus(job, "succeeded");
            Assert.Equal(Epochs, job["epochsCompleted"]!.GetValue<int>());
            var epochs = (await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}/metrics"))!["epochs"]!.AsArray();
            Assert.Equal(Enumerable.Range(1, Epochs), epochs.Select(e => e!["epoch"]!.GetValue<int>()));
            Assert.True(models.Add(job["modelId"]!.GetValue<string>()));
        }
        Assert.Equal(ids.Count, (await client.GetFromJsonAsync<JsonNode>("/models"))!["total"]!.GetValue<int>());
    }

    public void Dispose() => folder.Dispose();
}
