using System.Net;
using System.Text;

namespace LipService.Api.Tests.Http;

/// <summary>
/// POST /v2/models/{name}/infer with JSON of the wrong types: each is the protocol's 400
/// <c>{"error"}</c> naming the field, never a 500 from reading a JsonElement as a kind it is not.
/// </summary>
[Collection(LoopbackServiceCollection.Name)]
public class InferenceWrongTypeTests(LoopbackServiceFixture service)
{
    private static readonly string Zeros = string.Join(",", Enumerable.Repeat("0", 784));

    private static string Valid(string input = "", string rest = "") =>
        $$"""{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "data": [{{Zeros}}]{{input}}}]{{rest}}}""";

    public static TheoryData<string, string> WrongTypes => new()
    {
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": ["1", 784], "data": [0]}]}""", "shape" },
        { Valid(rest: """, "outputs": [1]"""), "outputs" },
        { Valid(rest: """, "outputs": ["label"]"""), "outputs" },
        { """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 784], "parameters": {"binary_data_size": "3136"}}]}""", "binary_data_size" },
        { Valid(rest: """, "outputs": [{"name": "label", "parameters": {"binary_data": "yes"}}]"""), "binary_data" },
        { Valid(rest: """, "outputs": [{"name": "label", "parameters": []}]"""), "parameters" },
        { Valid(rest: """, "parameters": {"binary_data_output": 1}"""), "binary_data_output" },
        { Valid(rest: """, "parameters": "binary" """), "parameters" },
        { Valid(input: """, "parameters": 3136"""), "parameters" },
        { Valid(rest: """, "id": 7"""), "id" },
        { """{"inputs": [{"name": ["input"], "datatype": "FP32", "shape": [1, 784], "data": [0]}]}""", "name" },
        { """{"inputs": [{"name": "input", "datatype": 32, "shape": [1, 784], "data": [0]}]}""", "datatype" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task WrongJsonTypesGet400NamingTheField(string body, string mentions)
    {
        var response = await service.Client.PostAsync($"/v2/models/{service.ModelId}/infer", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(mentions, (await response.JsonAsync())["error"]!.GetValue<string>());
    }
}
