using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Serving;
using Microsoft.Extensions.DependencyInjection;

namespace LipService.Api.Tests.Http;

/// <summary>
/// Attacks run a bounded number at a time behind a bounded queue, so they cannot take the service from
/// /predict. The test holds the one running slot itself, through the service's own queue, so what it
/// sees does not depend on how long an attack takes.
/// </summary>
public sealed class AttackQueueTests(AttackQueueTests.Service service) : IClassFixture<AttackQueueTests.Service>
{
    /// <summary>One attack at a time and one waiting: the third is refused.</summary>
    public sealed class Service : LipServiceFactory, IAsyncLifetime
    {
        public string ModelId { get; private set; } = "";

        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Attack:MaxConcurrent"] = "1",
            ["Attack:MaxQueued"] = "1",
        };

        public async Task InitializeAsync()
        {
            using var client = CreateClient();
            var job = await client.TrainAsync("""{"epochs": 1, "seed": 11}""", TimeSpan.FromMinutes(3));
            ModelId = job["modelId"]!.GetValue<string>();
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
    }

    [Fact]
    public async Task BeyondTheRunningAndQueuedAttacksA429SaysWhenToRetryAndPredictStillAnswers()
    {
        var queue = service.Services.GetRequiredService<AttackQueue>();
        using var client = service.CreateClient();
        var digit = MnistDigits.Take(1)[0].Pixels;
        string attack = JsonSerializer.Serialize(new { image = digit, modelId = service.ModelId, steps = 50 });

        using var release = new ManualResetEventSlim();
        var held = queue.TryEnter();
        Assert.NotNull(held);
        var holding = held.RunAsync(() => release.Wait(TimeSpan.FromMinutes(1)), CancellationToken.None);
        await WaitForAsync(() => queue.Running == 1, "the test's own work to take the running slot");

        var queued = client.PostJsonAsync("/attack", attack);
        await WaitForAsync(() => queue.Waiting == 1, "the first attack to wait in the queue");

        var refused = await client.PostJsonAsync("/attack", attack);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        var problem = await refused.JsonAsync();
        Assert.Contains("Attack:MaxConcurrent", problem["detail"]!.GetValue<string>());
        Assert.Contains("Attack:MaxQueued", problem["detail"]!.GetValue<string>());

        // Serving goes on while an attack runs and another waits.
        var predict = await client.PostJsonAsync("/predict", JsonSerializer.Serialize(new { images = new[] { digit }, modelId = service.ModelId }));
        Assert.Equal(HttpStatusCode.OK, predict.StatusCode);
        Assert.False(queued.IsCompleted, "the queued attack waits for the running one");

        release.Set();
        await holding;
        held.Dispose();
        var answered = await queued;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal(service.ModelId, (await answered.JsonAsync())["modelId"]!.GetValue<string>());
        await WaitForAsync(() => queue.Running == 0 && queue.Waiting == 0, "the queue to empty");
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/attack", attack)).StatusCode);
    }

    [Fact]
    public async Task AClientThatGivesUpWhileQueuedLeavesItsPlace()
    {
        var queue = service.Services.GetRequiredService<AttackQueue>();
        using var client = service.CreateClient();
        string attack = JsonSerializer.Serialize(new { image = MnistDigits.Take(1)[0].Pixels, modelId = service.ModelId, steps = 50 });

        using var release = new ManualResetEventSlim();
        using (var held = queue.TryEnter())
        {
            Assert.NotNull(held);
            var holding = held.RunAsync(() => release.Wait(TimeSpan.FromMinutes(1)), CancellationToken.None);
            using var giveUp = new CancellationTokenSource();
            var queued = client.PostAsync("/attack", new StringContent(attack, System.Text.Encoding.UTF8, "application/json"), giveUp.Token);
            await WaitForAsync(() => queue.Waiting == 1, "the attack to wait in the queue");
            giveUp.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
            await WaitForAsync(() => queue.Waiting == 0, "the abandoned attack to leave the queue");
            release.Set();
            await holding;
        }
        await WaitForAsync(() => queue.Running == 0, "the running slot to be free");
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/attack", attack)).StatusCode);
    }

    /// <summary>Polls a state of the service; bounded so a broken queue fails the test rather than hanging it.</summary>
    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        for (int i = 0; i < 600 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), $"Timed out waiting for {what}.");
    }
}
