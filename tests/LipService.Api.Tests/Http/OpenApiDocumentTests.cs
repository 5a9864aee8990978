using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LipService.Api.Tests.Http;

/// <summary>The Swagger document: a standard linter's verdict, and the parts clients rely on.</summary>
public sealed class OpenApiDocumentTests(LipServiceFactory factory) : IClassFixture<LipServiceFactory>
{
    private static readonly string LintTool = RepositoryPaths.File("tools", "openapi-lint");

    [Fact]
    public async Task DocumentPassesRedoclyRecommendedRules()
    {
        string redocly = Path.Combine(LintTool, "node_modules", ".bin", "redocly");
        // A missing linter fails rather than skips: a skipped lint would let the document rot unnoticed.
        Assert.True(File.Exists(redocly),
            $"The OpenAPI linter is not installed: run `npm ci --prefix tools/openapi-lint` in {RepositoryPaths.Root} (needs Node.js and npm).");

        string document = Path.Combine(Path.GetTempPath(), $"lipservice-openapi-{Guid.NewGuid():N}.json");
        using (var client = factory.CreateClient())
            await File.WriteAllTextAsync(document, await client.GetStringAsync("/swagger/v1/swagger.json"));
        try
        {
            var start = new ProcessStartInfo(redocly)
            {
                ArgumentList = { "lint", document, "--config", Path.Combine(LintTool, "redocly.yaml"), "--format", "stylish" },
                WorkingDirectory = LintTool,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // Offline and quiet: no telemetry, no update check, no colour codes in the failure message.
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            start.Environment["NO_COLOR"] = "1";
            using var lint = Process.Start(start)!;
            var output = lint.StandardOutput.ReadToEndAsync();
            var errors = lint.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await lint.WaitForExitAsync(timeout.Token);
            Assert.True(lint.ExitCode == 0, $"redocly lint exited {lint.ExitCode}:\n{await output}\n{await errors}");
        }
        finally
        {
            File.Delete(document);
        }
    }

    [Fact]
    public async Task PredictDocumentsTheImageUploadBesideTheJsonBody()
    {
        var content = (await DocumentAsync())["paths"]!["/predict"]!["post"]!["requestBody"]!["content"]!;
        Assert.Equal("#/components/schemas/PredictRequest", content["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        var form = content["multipart/form-data"]!["schema"]!;
        Assert.Equal("object", form["type"]!.GetValue<string>());
        Assert.Contains("files", form["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var files = form["properties"]!["files"]!;
        Assert.Equal("array", files["type"]!.GetValue<string>());
        Assert.Equal("string", files["items"]!["type"]!.GetValue<string>());
        Assert.Equal("binary", files["items"]!["format"]!.GetValue<string>());
        Assert.Equal("string", form["properties"]!["modelId"]!["type"]!.GetValue<string>());
        Assert.Null(form["properties"]!["images"]);
    }

    [Fact]
    public async Task PredictDocumentsTheHeaderSayingWhichModelAnswered()
    {
        var header = (await DocumentAsync())["paths"]!["/predict"]!["post"]!["responses"]!["200"]!["headers"]!["LipService-Model-Source"]!;
        Assert.Equal("string", header["schema"]!["type"]!.GetValue<string>());
        Assert.Contains("`newest`", header["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyTheGuardedOperationsAskForTheApiKey()
    {
        var document = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal("apiKey", scheme["type"]!.GetValue<string>());
        Assert.Equal("header", scheme["in"]!.GetValue<string>());
        Assert.Equal("X-Api-Key", scheme["name"]!.GetValue<string>());

        // The endpoints mapped with ApiKeyFilter (RequireApiKey); ApiKeyTests checks the filter itself.
        string[] guarded = ["POST /jobs", "DELETE /jobs/{id}", "POST /jobs/{id}/cancel", "POST /sweeps",
            "PUT /models/{id}/aliases/{alias}", "POST /models/{id}/aliases/{alias}", "DELETE /models/{id}/aliases/{alias}", "DELETE /aliases/{alias}",
            "POST /datasets", "DELETE /datasets/{id}"];
        foreach (var (name, operation) in Operations(document))
        {
            var security = operation["security"]!.AsArray();
            if (guarded.Contains(name))
            {
                Assert.True(security.Count == 1 && security[0]!["ApiKey"] is not null, $"{name} should require ApiKey: {security.ToJsonString()}");
                Assert.True(operation["responses"]!["401"] is not null, $"{name} should document 401");
            }
            else
            {
                Assert.True(security.Count == 0, $"{name} should need no key: {security.ToJsonString()}");
                Assert.True(operation["responses"]!["401"] is null, $"{name} should not document 401");
            }
        }
        Assert.All(guarded, name => Assert.Contains(name, Operations(document).Select(o => o.Name)));
    }

    [Theory]
    [InlineData("GET /jobs/{id}", "404")]
    [InlineData("GET /jobs/{id}/metrics", "404")]
    [InlineData("DELETE /jobs/{id}", "404 409")]
    [InlineData("POST /jobs/{id}/cancel", "404 409")]
    [InlineData("GET /models/{id}", "404")]
    [InlineData("GET /models/{id}/weights", "404")]
    [InlineData("GET /sweeps/{id}", "404")]
    [InlineData("POST /jobs", "400 415")]
    [InlineData("POST /sweeps", "400 415")]
    [InlineData("GET /jobs", "400")]
    [InlineData("GET /models", "400")]
    [InlineData("POST /predict", "400 404 413 415 429")]
    [InlineData("POST /attack", "400 404 413 415 429")]
    [InlineData("PUT /models/{id}/aliases/{alias}", "400 404")]
    [InlineData("POST /models/{id}/aliases/{alias}", "400 404")]
    [InlineData("GET /aliases/{alias}", "404")]
    [InlineData("DELETE /aliases/{alias}", "404")]
    public async Task ErrorAnswersAreDocumentedAsProblemDetails(string operationName, string statusCodes)
    {
        var operation = Operations(await DocumentAsync()).Single(o => o.Name == operationName).Operation;
        foreach (string status in statusCodes.Split(' '))
        {
            var problem = operation["responses"]![status]?["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
            Assert.True(problem is "#/components/schemas/ProblemDetails" or "#/components/schemas/HttpValidationProblemDetails",
                $"{operationName} {status}: {operation["responses"]!.ToJsonString()}");
        }
    }

    [Fact]
    public async Task DescriptionsCarryNoRawCrossReferences()
    {
        var document = await DocumentAsync();
        string text = document.ToJsonString();
        Assert.DoesNotContain("cref", text);
        Assert.DoesNotContain("LipService.Api.", text);
        Assert.DoesNotContain("T:LipService", text);
        Assert.Contains("`base`", document["components"]!["schemas"]!["SweepRequest"]!["description"]!.GetValue<string>());
        Assert.Contains("`groupsort<n>`", document["components"]!["schemas"]!["JobSpecRequest"]!["properties"]!["activation"]!["description"]!.GetValue<string>());
    }

    private async Task<JsonNode> DocumentAsync()
    {
        using var client = factory.CreateClient();
        return JsonNode.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"))!;
    }

    private static IEnumerable<(string Name, JsonNode Operation)> Operations(JsonNode document)
        => document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject().Select(op => ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!)));
}
