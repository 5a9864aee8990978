using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;
using LipService.Api.Tests.Monitoring;

namespace LipService.Api.Tests.Postgres;

/// <summary>Scale-out on real PostgreSQL: one api and two worker processes sharing the database, started together against an empty one.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterTests(PostgresServer server) : IDisposable
{
    private readonly PostgresDatabase database = new(server);
    private readonly string dataDirectory = Directory.CreateTempSubdirectory("lipservice-cluster-").FullName;
    private readonly List<ServiceProcess> processes = [];

    [Fact]
    public async Task AKilledWorkersJobIsTakenOverAndEveryEpochIsRecordedOnce()
    {
        var (api, workers) = await StartClusterAsync();
        var client = api.Client;
        var ids = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            var created = await client.PostJsonAsync("/jobs", $$"""{"epochs": 10, "seed": {{i + 1}}}""");
            ids.Add((await created.JsonAsync())["id"]!.GetValue<string>());
        }

        // Follow the first job from the api process while workers run it.
        var streamed = new List<SseEvent>();
        using var streamTimeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var streaming = SseReader.ReadAsync(client, $"/jobs/{ids[0]}/metrics", null, streamed.Add, streamTimeout.Token);

        // Kill whichever worker is two epochs into a job.
        var (victimJob, victim) = await WaitForJobInFlightAsync(client, ids, workers);
        victim.Kill();

        foreach (string id in ids)
        {
            var job = await client.WaitForEndAsync(id, TimeSpan.FromMinutes(4));
            ApiClient.AssertStatus(job, "succeeded");
            var epochs = (await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}/metrics"))!["epochs"]!.AsArray();
            Assert.Equal(Enumerable.Range(1, 10), epochs.Select(e => e!["epoch"]!.GetValue<int>()));
        }
        await streaming;
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i.ToString()), streamed.Where(e => e.Event == "epoch").Select(e => e.Id));
        Assert.Equal("status", streamed[^1].Event);

        var survivor = workers.Single(w => w != victim);
        Assert.Matches(@"Training starts after epoch [1-9]", survivor.Log);
        Assert.Equal(4, (await client.GetFromJsonAsync<JsonNode>("/models"))!["total"]!.GetValue<int>());
        _ = victimJob;
    }

    [Fact]
    public async Task ASweepFansOutOverBothWorkersAndReportsItsParetoFront()
    {
        var (api, workers) = await StartClusterAsync();
        var client = api.Client;
        var created = await client.PostJsonAsync("/sweeps", """{"base": {"epochs": 2}, "alpha": [1, 10], "minMargin": [0.5, 1], "seed": [1, 2]}""");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, created.StatusCode);
        string id = (await created.JsonAsync())["id"]!.GetValue<string>();

        var seenWorkers = new HashSet<string>();
        JsonNode sweep;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            sweep = (await client.GetFromJsonAsync<JsonNode>($"/sweeps/{id}"))!;
            foreach (var row in sweep["jobs"]!.AsArray())
            {
                var job = await client.GetFromJsonAsync<JsonNode>($"/jobs/{row!["jobId"]!.GetValue<string>()}");
                if (job!["worker"]?.GetValue<string>() is { } worker) seenWorkers.Add(worker);
            }
            if (sweep["status"]!.GetValue<string>() != "running") break;
            Assert.True(DateTime.UtcNow < deadline, "The sweep did not finish in time.");
            await Task.Delay(200);
        }

        ApiClient.AssertStatus(sweep, "succeeded");
        var rows = sweep["jobs"]!.AsArray();
        Assert.Equal(8, rows.Count);
        Assert.Equal(8, rows.Select(r => (r!["alpha"]!.GetValue<double>(), r["minMargin"]!.GetValue<double>(), r["seed"]!.GetValue<int>())).Distinct().Count());
        Assert.All(rows, r => Assert.Equal([0.5, 1.0, 1.58], r!["certifiedAccuracy"]!.AsArray().Select(p => p!["epsilon"]!.GetValue<double>())));
        var front = sweep["paretoFront"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.NotEmpty(front);
        double[] Objectives(JsonNode r) => [r["valAccuracy"]!.GetValue<double>(), .. r["certifiedAccuracy"]!.AsArray().Select(p => p!["accuracy"]!.GetValue<double>())];
        foreach (var r in rows)
        {
            bool dominated = rows.Any(o => o != r && Objectives(o!).Zip(Objectives(r!)).All(p => p.First >= p.Second) && Objectives(o!).Zip(Objectives(r!)).Any(p => p.First > p.Second));
            Assert.Equal(!dominated, front.Contains(r!["jobId"]!.GetValue<string>()));
        }
        Assert.Equal(2, workers.Count);
        Assert.True(seenWorkers.Count == 2, $"jobs ran on {string.Join(", ", seenWorkers)}");

        // Each process counts what it did (workers: epochs and jobs) and reads the shared store's job counts.
        var scrapes = new List<Exposition>();
        foreach (var process in workers.Prepend(api))
        {
            var exposition = new Exposition(await process.Client.GetStringAsync("/metrics"));
            var (exitCode, lint) = await Promtool.CheckMetricsAsync(exposition.Text);
            Assert.True(exitCode == 0, $"promtool check metrics exited {exitCode}:\n{lint}");
            Assert.Equal(8, exposition.Sum("lipservice_training_jobs", ("status", "succeeded")));
            scrapes.Add(exposition);
        }
        Assert.Equal(0, scrapes[0].Sum("lipservice_training_epochs_total"));
        Assert.Equal(8 * 2, scrapes.Sum(e => e.Sum("lipservice_training_epochs_total")));
        Assert.Equal(8, scrapes.Sum(e => e.Sum("lipservice_training_jobs_finished_total", ("status", "succeeded"))));
    }

    /// <summary>All three processes start at once against the empty database; each must come up.</summary>
    private async Task<(ServiceProcess Api, List<ServiceProcess> Workers)> StartClusterAsync()
    {
        string[] shared =
        [
            "--Storage:Provider", "postgres",
            "--ConnectionStrings:Postgres", database.ConnectionString,
            // Bounded takeover: a dead worker's job is visible again after 8 s, its lease free after 4 s.
            "--Hangfire:InvisibilityTimeout", "00:00:08",
            "--Training:LeaseDuration", "00:00:04",
        ];
        var starting = new[] { "api", "worker", "worker" }.Select(role => ServiceProcess.StartAsync(dataDirectory, [.. shared, "--Role", role])).ToList();
        var started = await Task.WhenAll(starting);
        processes.AddRange(started);
        return (started[0], [started[1], started[2]]);
    }

    private static async Task<(string JobId, ServiceProcess Worker)> WaitForJobInFlightAsync(HttpClient client, List<string> ids, List<ServiceProcess> workers)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            foreach (string id in ids)
            {
                var job = await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}");
                if (job!["status"]!.GetValue<string>() != "running" || job["epochsCompleted"]!.GetValue<int>() < 2) continue;
                string? worker = job["worker"]?.GetValue<string>();
                var owner = workers.FirstOrDefault(w => worker?.EndsWith("/" + w.ProcessId, StringComparison.Ordinal) == true);
                if (owner is not null) return (id, owner);
            }
            await Task.Delay(50);
        }
        throw new TimeoutException("No job reached its second epoch in a worker.");
    }

    public void Dispose()
    {
        foreach (var p in processes) p.Dispose();
        database.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
