using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

[Collection(TrainedServiceCollection.Name)]
public class JobEndpointTests(TrainedServiceFixture service)
{
    [Fact]
    public async Task EmptySpecQueuesTheNotebooksModel()
    {
        using var client = service.CreateClient();
        var response = await client.PostAsync("/jobs", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.JsonAsync();
        string id = job["id"]!.GetValue<string>();
        Assert.Equal($"/jobs/{id}", response.Headers.Location!.ToString());
        Assert.Contains(job["status"]!.GetValue<string>(), new[] { "queued", "running" });
        var spec = job["spec"]!;
        Assert.Equal("mnist", spec["dataset"]!.GetValue<string>());
        Assert.Equal((0, 8, 10, 128), (spec["positiveClass"]!.GetValue<int>(), spec["negativeClass"]!.GetValue<int>(), spec["epochs"]!.GetValue<int>(), spec["batchSize"]!.GetValue<int>()));
        Assert.Equal([32, 16], spec["hidden"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal("groupsort2", spec["activation"]!.GetValue<string>());
        Assert.NotNull(spec["seed"]);
        foreach (string field in new[] { "createdAt", "startedAt", "finishedAt", "epochsCompleted", "epochs", "modelId", "error" })
            Assert.True(job.AsObject().ContainsKey(field), field);

        // The notebook's ten epochs take about 2.5 s here, so the job may already have succeeded
        // when the cancel arrives; then the cancel is refused (409). Either way it ends at once.
        var cancel = await client.DeleteAsync($"/jobs/{id}");
        Assert.Contains(cancel.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict });
        string expected = cancel.StatusCode == HttpStatusCode.OK ? "cancelled" : "succeeded";
        ApiClient.AssertStatus(await client.WaitForEndAsync(id, TimeSpan.FromSeconds(30)), expected);
    }

    public static TheoryData<string, string[]> InvalidSpecs => new()
    {
        { """{"epochs": 0, "batchSize": 9000}""", ["epochs", "batchSize"] },
        { """{"hidden": [1,2,3,4,5,6,7,8,10]}""", ["hidden"] },
        { """{"hidden": [31]}""", ["hidden"] },
        { """{"hidden": [5000]}""", ["hidden"] },
        { """{"positiveClass": 3, "negativeClass": 3}""", ["classes"] },
        { """{"positiveClass": 10}""", ["classes"] },
        { """{"classes": [1, 2], "positiveClass": 1}""", ["classes"] },
        { """{"classes": [1, 2, 2]}""", ["classes"] },
        { """{"classes": [7]}""", ["classes"] },
        { """{"preset": "mnist100"}""", ["preset"] },
        { """{"dataset": "cifar10"}""", ["dataset"] },
        { """{"loss": "tau-cce"}""", ["loss"] },
        { """{"loss": "offset-cce", "minMargin": 2.3, "tau": 4}""", ["loss"] }, // two classes
        { """{"preset": "mnist10-conv", "loss": "tau-cce", "tau": -1}""", ["tau"] },
        { """{"architecture": "conv", "channels": [3]}""", ["channels"] },
        { """{"channels": [16]}""", ["channels"] },
        { """{"architecture": "transformer"}""", ["architecture"] },
        { """{"alpha": -1, "minMargin": 0, "learningRate": 2}""", ["alpha", "minMargin", "learningRate"] },
        { """{"activation": "tanh", "device": "tpu"}""", ["activation", "device"] },
        { """{"epochs": "ten"}""", ["epochs"] },
        { """{"epoch": 5}""", ["epoch"] },
        { """{"epochs": 5""", ["epochs"] },
        { "[1, 2]", ["body"] },
        { "null", ["body"] },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task InvalidSpecsGet400NamingEachField(string body, string[] fields)
    {
        using var client = service.CreateClient();
        int before = (await client.GetFromJsonAsync<JsonNode>("/jobs"))!["total"]!.GetValue<int>();
        var response = await client.PostJsonAsync("/jobs", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.JsonAsync())["errors"]!.AsObject();
        Assert.Equal(fields.Order(), errors.Select(e => e.Key).Order());
        int after = (await client.GetFromJsonAsync<JsonNode>("/jobs"))!["total"]!.GetValue<int>();
        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("/jobs/does-not-exist")]
    [InlineData("/jobs/..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/jobs/'%20OR%20'1'='1")]
    [InlineData("/jobs/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("/jobs/x/metrics")]
    public async Task UnknownAndHostileIdsGet404(string url)
    {
        using var client = service.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(url.Replace("/metrics", ""))).StatusCode);
    }

    [Fact]
    public async Task TrainedJobHasEveryEpochOnceAndAModel()
    {
        using var client = service.CreateClient();
        string id = service.TrainedJob["id"]!.GetValue<string>();
        var job = await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}");
        Assert.Equal("succeeded", job!["status"]!.GetValue<string>());
        Assert.Equal(3, job["epochsCompleted"]!.GetValue<int>());
        Assert.Equal(service.ModelId, job["modelId"]!.GetValue<string>());
        Assert.NotNull(job["startedAt"]);
        Assert.NotNull(job["finishedAt"]);

        var metrics = await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}/metrics");
        Assert.Equal(id, metrics!["jobId"]!.GetValue<string>());
        var epochs = metrics["epochs"]!.AsArray();
        Assert.Equal([1, 2, 3], epochs.Select(e => e!["epoch"]!.GetValue<int>()));
        foreach (string field in new[] { "loss", "kr", "hinge", "accuracy", "valLoss", "valKr", "valHinge", "valAccuracy", "seconds" })
            Assert.NotNull(epochs[0]![field]);
        Assert.True(epochs[2]!["valAccuracy"]!.GetValue<double>() > 0.97);
    }

    [Fact]
    public async Task MetricsStreamSendsEachEpochThenStatusAndHonoursLastEventId()
    {
        using var client = service.CreateClient();
        string id = service.TrainedJob["id"]!.GetValue<string>();

        var all = await SseReader.ReadAllAsync(client, $"/jobs/{id}/metrics", lastEventId: null);
        Assert.Equal(["epoch:1", "epoch:2", "epoch:3", "status:"], all.Select(e => $"{e.Event}:{e.Id}"));
        Assert.Equal(2, JsonNode.Parse(all[1].Data)!["epoch"]!.GetValue<int>());
        Assert.Equal("succeeded", JsonNode.Parse(all[3].Data)!["status"]!.GetValue<string>());

        var resumed = await SseReader.ReadAllAsync(client, $"/jobs/{id}/metrics", lastEventId: "2");
        Assert.Equal(["epoch:3", "status:"], resumed.Select(e => $"{e.Event}:{e.Id}"));
    }

    [Fact]
    public async Task LiveStreamDeliversEpochsOfARunningJobAndCancelStopsIt()
    {
        using var client = service.CreateClient();
        var created = await client.PostJsonAsync("/jobs", """{"epochs": 200, "seed": 1}""");
        string id = (await created.JsonAsync())["id"]!.GetValue<string>();

        using var stream = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<SseEvent>();
        Task<HttpResponseMessage>? cancel = null;
        var reading = SseReader.ReadAsync(client, $"/jobs/{id}/metrics", null, e =>
        {
            events.Add(e);
            if (e.Event == "epoch" && e.Id == "2") cancel = client.DeleteAsync($"/jobs/{id}");
        }, stream.Token);
        await reading;
        int atCancel = (await (await cancel!).JsonAsync())["epochsCompleted"]!.GetValue<int>();

        var job = await client.GetFromJsonAsync<JsonNode>($"/jobs/{id}");
        Assert.Equal("cancelled", job!["status"]!.GetValue<string>());
        Assert.Equal("status", events[^1].Event);
        int completed = job["epochsCompleted"]!.GetValue<int>();
        // The runner is told in-process and checks every batch: at most the epoch in flight completes after the cancel.
        Assert.InRange(completed, 2, atCancel + 1);
        Assert.Equal(Enumerable.Range(1, completed).Select(i => i.ToString()), events.Where(e => e.Event == "epoch").Select(e => e.Id));

        var again = await client.DeleteAsync($"/jobs/{id}");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=501")]
    [InlineData("?offset=-1")]
    [InlineData("?limit=abc")]
    public async Task BadPagingGets400(string query)
    {
        using var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/jobs" + query)).StatusCode);
    }

    [Fact]
    public async Task ListIsPagedNewestFirst()
    {
        using var client = service.CreateClient();
        var page = await client.GetFromJsonAsync<JsonNode>("/jobs?limit=1&offset=0");
        Assert.Single(page!["items"]!.AsArray());
        Assert.True(page["total"]!.GetValue<int>() >= 1);
        Assert.Equal(1, page["limit"]!.GetValue<int>());
    }
}
