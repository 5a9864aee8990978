using System.Net;

namespace LipService.Api.Tests.Http;

public sealed class ApiKeyTests : IClassFixture<ApiKeyTests.KeyedFactory>
{
    private readonly KeyedFactory factory;

    public ApiKeyTests(KeyedFactory factory) => this.factory = factory;

    [Fact]
    public async Task ChangingEndpointsNeedTheKeyAndReadingOnesDoNot()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/jobs", "{}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/jobs")).StatusCode);
        Assert.Equal(0, (await (await client.GetAsync("/jobs")).JsonAsync())["total"]!.GetValue<int>());

        client.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostJsonAsync("/jobs", "{}")).StatusCode);
        client.DefaultRequestHeaders.Remove("X-Api-Key");
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        var created = await client.PostJsonAsync("/jobs", """{"epochs": 1}""");
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        string id = (await created.JsonAsync())["id"]!.GetValue<string>();

        client.DefaultRequestHeaders.Remove("X-Api-Key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync($"/jobs/{id}")).StatusCode);
        ApiClient.AssertStatus(await client.WaitForEndAsync(id, TimeSpan.FromMinutes(1)), "succeeded");
    }

    [Fact]
    public async Task ChangingAnAliasNeedsTheKeyAndReadingOneDoesNot()
    {
        using var client = factory.CreateClient();
        const string Model = "/models/0123456789abcdef0123456789abcdef/aliases/default";
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsync(Model, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync(Model, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync(Model)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync("/aliases/default")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/aliases")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/aliases/default")).StatusCode);

        // With the key the request reaches the endpoint, which finds no such model or alias.
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsync(Model, null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(Model)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/aliases/default")).StatusCode);
    }

    [Fact]
    public async Task UploadingAndDeletingADatasetNeedTheKeyAndReadingDoesNot()
    {
        using var client = factory.CreateClient();
        const string Dataset = "/datasets/ds-0123456789abcdef01234567";
        using var form = new MultipartFormDataContent { { new ByteArrayContent("0,1\n1,2\n"u8.ToArray()), "file", "tiny.csv" } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/datasets", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync(Dataset)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/datasets")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(Dataset)).StatusCode);

        // With the key the request reaches the endpoint: a one-pixel CSV is no dataset, and there is no such id.
        client.DefaultRequestHeaders.Add("X-Api-Key", "s3cret");
        using var again = new MultipartFormDataContent { { new ByteArrayContent("0,1\n1,2\n"u8.ToArray()), "file", "tiny.csv" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/datasets", again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(Dataset)).StatusCode);
    }

    public sealed class KeyedFactory : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["ApiKey"] = "s3cret" };
    }
}
