using System.Reflection;
using System.Text.RegularExpressions;
using LipService.Api.Endpoints;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LipService.Api.Hosting;

/// <summary>The OpenAPI document: descriptions from the endpoints, schema docs and examples from XML comments.</summary>
internal static partial class SwaggerSetup
{
    public const string ApiKeyScheme = "ApiKey";

    private static readonly Assembly[] DocumentedAssemblies =
        [Assembly.GetExecutingAssembly(), typeof(Training.Specs.TrainingSpec).Assembly, typeof(Models.Certificates.BinaryCertificates).Assembly];

    public static void Configure(SwaggerGenOptions options)
    {
        options.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "LipService",
            Version = "v1",
            Description = "Trains 1-Lipschitz networks (deel-lip's SpectralDense, GroupSort2, HKR loss) as background jobs and serves predictions with a certified L2 robustness radius |f(x)|/L, "
                + "where L is computed exactly from each model's weights. Radii are L2 distances in the model's input space: 28×28 pixels scaled to [0, 1].",
        });
        options.AddSecurityDefinition(ApiKeyScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyFilter.HeaderName,
            Description = $"The service's `ApiKey` setting. Only checked when the service was started with one (e.g. `--ApiKey s3cret`); otherwise {ApiKeyFilter.HeaderName} is ignored.",
        });
        options.OperationFilter<EndpointMetadataFilter>();
        options.DocumentFilter<HostDocumentFilter>();
        options.MapType<Contracts.PixelBatch>(() => new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Images, each 784 numbers in [0, 1] for an MNIST or Fashion-MNIST model (row-major 28×28, white digit (1) on black (0)); "
                + "for a model of an uploaded dataset channels × height × width numbers, each channel's rows in turn.",
            Items = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 1, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float", Minimum = "0", Maximum = "1" } },
        });
        foreach (var assembly in DocumentedAssemblies)
        {
            string xml = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
        }
    }

    /// <summary>Serving-time settings of the document.</summary>
    public static void ConfigureEndpoint(SwaggerOptions options)
    {
        // Relative to where the document is served, so "Try it out" targets the host (and path base) the browser used.
        options.PreSerializeFilters.Add((document, request) =>
            document.Servers = [new OpenApiServer { Url = request.PathBase.HasValue ? request.PathBase.Value : "/", Description = "This service" }]);
    }

    /// <summary>Turns the documentation metadata of the endpoint files into the document.</summary>
    private sealed class EndpointMetadataFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;

            // Operations without a key say so explicitly: an absent list would mean "unspecified".
            operation.Security = metadata.OfType<ApiKeyRequiredMetadata>().Any()
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, context.Document)] = [] }]
                : [];

            if (metadata.OfType<FileUploadMetadata>().FirstOrDefault() is { } upload && operation.RequestBody?.Content is { } content)
                content["multipart/form-data"] = UploadForm(upload);

            foreach (var header in metadata.OfType<ResponseHeaderMetadata>())
            {
                if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse ok)
                {
                    ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    ok.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                }
            }

            foreach (var text in metadata.OfType<TextResponseMetadata>())
            {
                if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse ok)
                {
                    ok.Content ??= new Dictionary<string, IOpenApiMediaType>();
                    ok.Content[text.ContentType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = text.Description } };
                }
            }
        }

        private static OpenApiMediaType UploadForm(FileUploadMetadata upload)
        {
            var properties = new Dictionary<string, IOpenApiSchema>
            {
                [upload.FilesField] = upload.SingleFile
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = upload.FilesDescription }
                    : new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        Description = upload.FilesDescription,
                        Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    },
            };
            foreach (var (name, description) in upload.OtherFiles ?? new Dictionary<string, string>())
                properties[name] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = description };
            foreach (var (name, description) in upload.Fields)
                properties[name] = new OpenApiSchema { Type = JsonSchemaType.String, Description = description };
            return new OpenApiMediaType
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Required = new HashSet<string> { upload.FilesField }, Properties = properties },
                Encoding = new Dictionary<string, OpenApiEncoding> { [upload.FilesField] = new() { ContentType = string.Join(", ", upload.FileContentTypes) } },
            };
        }
    }

    /// <summary>What the endpoint table does not describe: tag descriptions, the health checks, readable schema descriptions.</summary>
    private sealed partial class HostDocumentFilter : IDocumentFilter
    {
        private static readonly (string Name, string Description)[] Tags =
        [
            ("Jobs", "Training jobs: submit a spec, follow its epochs live, cancel it."),
            ("Models", "Trained models with their exact Lipschitz bound, certified-accuracy curve and weights."),
            ("Aliases", "Names that point at models; the alias `default` chooses the model /predict answers with when none is named."),
            ("Datasets", "Your own labelled images: upload a zip of class folders, an IDX pair or a CSV, then train on it by id."),
            ("Predict", "Classify digits, each answer with its certified L2 radius."),
            ("Sweeps", "Many trainings at once and their accuracy-versus-robustness table."),
            ("Health", "Liveness and readiness probes (plain text `Healthy` / `Unhealthy`)."),
        ];

        public void Apply(OpenApiDocument document, DocumentFilterContext context)
        {
            document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
            // MapHealthChecks endpoints carry no handler method, so ApiExplorer never lists them.
            document.Paths["/health/live"] = Health(document, "Liveness", "Liveness: the process answers HTTP.", "GetHealthLive", ready: false);
            document.Paths["/health/ready"] = Health(document, "Readiness", "Readiness: the store answers and, in a role that runs jobs, the Hangfire server is up.", "GetHealthReady", ready: true);
            foreach (var schema in document.Components?.Schemas?.Values ?? [])
                HumanizeReferences(schema);
        }

        private static OpenApiPathItem Health(OpenApiDocument document, string summary, string description, string operationId, bool ready)
        {
            static OpenApiResponse Text(string description, string example) => new()
            {
                Description = description,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String }, Example = example },
                },
            };
            var responses = new OpenApiResponses { ["200"] = Text("Healthy.", "Healthy") };
            if (ready) responses["503"] = Text("Not ready: a check failed.", "Unhealthy");
            return new OpenApiPathItem
            {
                Operations = new Dictionary<HttpMethod, OpenApiOperation>
                {
                    [HttpMethod.Get] = new()
                    {
                        OperationId = operationId,
                        Summary = summary,
                        Description = description,
                        Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
                        Responses = responses,
                        Security = [],
                    },
                },
            };
        }

        /// <summary>
        /// Swashbuckle prints <c>&lt;see cref="Member"/&gt;</c> as the member's full .NET name
        /// ("LipService.Api.Contracts.SweepRequest.Base"); readers know the wire names, so a type
        /// becomes its name and a property its camelCase JSON name.
        /// </summary>
        private static void HumanizeReferences(IOpenApiSchema schema)
        {
            if (schema is not OpenApiSchema concrete) return;
            if (concrete.Description is { } description)
            {
                description = FullName().Replace(description, m => $"`{WireName(m.Value)}`");
                // Markdown renderers (Swagger UI) drop "<n>" in "groupsort<n>" as an unknown HTML tag; code spans keep it.
                concrete.Description = Placeholder().Replace(description, m => $"`{m.Value}`");
            }
            foreach (var property in concrete.Properties?.Values ?? []) HumanizeReferences(property);
        }

        private static string WireName(string fullName)
        {
            if (DocumentedAssemblies.Select(a => a.GetType(fullName)).FirstOrDefault(t => t is not null) is { } type) return type.Name;
            string member = fullName[(fullName.LastIndexOf('.') + 1)..];
            return char.ToLowerInvariant(member[0]) + member[1..];
        }

        [GeneratedRegex(@"\bLipService(\.[A-Za-z_][A-Za-z0-9_]*)+")]
        private static partial Regex FullName();

        [GeneratedRegex(@"(?<![`\w])\w*<\w+>(?![`\w])")]
        private static partial Regex Placeholder();
    }
}
