using LipService.Api.Storage;
using LipService.Training.Jobs;

namespace LipService.Api.Monitoring;

/// <summary>Registers the Prometheus instruments, in every role: workers count epochs and jobs, the API predictions.</summary>
public static class MetricsServiceCollectionExtensions
{
    public static WebApplicationBuilder AddServiceMetrics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName)
            .Validate(o => o.Path.StartsWith('/'), "Metrics:Path must start with '/'.")
            .ValidateOnStart();
        builder.Services.AddSingleton<JobStatusCounts>();
        builder.Services.AddSingleton<ServiceMetrics>();
        builder.Services.AddSingleton<ITrainingMetrics>(services => services.GetRequiredService<ServiceMetrics>());
        return builder;
    }
}
