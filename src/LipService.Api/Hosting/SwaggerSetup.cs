using System.Reflection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace LipService.Api.Hosting;

/// <summary>The OpenAPI document: descriptions from the endpoints, schema docs and examples from XML comments.</summary>
internal static class SwaggerSetup
{
    public static void Configure(SwaggerGenOptions options)
    {
        options.SwaggerDoc("v1", new OpenApiInfo
        {
            Title = "LipService",
            Version = "v1",
            Description = "Trains 1-Lipschitz networks (deel-lip's SpectralDense, GroupSort2, HKR loss) as background jobs and serves predictions with a certified L2 robustness radius |f(x)|/L, "
                + "where L is computed exactly from each model's weights. Radii are L2 distances in the model's input space: 28×28 pixels scaled to [0, 1].",
        });
        options.MapType<Contracts.PixelBatch>(() => new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "Digits, each 784 numbers in [0, 1]: row-major 28×28, white digit (1) on black (0).",
            Items = new OpenApiSchema { Type = JsonSchemaType.Array, MinItems = 784, MaxItems = 784, Items = new OpenApiSchema { Type = JsonSchemaType.Number, Format = "float", Minimum = "0", Maximum = "1" } },
        });
        foreach (var assembly in new[] { Assembly.GetExecutingAssembly(), typeof(Training.Specs.TrainingSpec).Assembly, typeof(Models.Certificates.BinaryCertificates).Assembly })
        {
            string xml = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
            if (File.Exists(xml)) options.IncludeXmlComments(xml);
        }
    }
}
