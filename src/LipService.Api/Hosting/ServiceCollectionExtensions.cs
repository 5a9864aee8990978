using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Hangfire;
using Hangfire.InMemory;
using LipService.Api.Endpoints;
using LipService.Api.Imaging;
using LipService.Api.Jobs;
using LipService.Api.Serving;
using LipService.Api.Storage;
using LipService.Training.Data;
using LipService.Training.Jobs;
using Serilog;
using Serilog.Formatting.Compact;

namespace LipService.Api.Hosting;

/// <summary>Service registration of the host, one extension per concern.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Everything the configured role needs.</summary>
    public static WebApplicationBuilder AddLipService(this WebApplicationBuilder builder)
    {
        var host = builder.Configuration.Get<LipServiceHostOptions>() ?? new LipServiceHostOptions();
        builder.AddLogging(host);
        builder.Services.AddOptions<LipServiceHostOptions>().Bind(builder.Configuration)
            .Validate(o => o.ConcurrentTrainings >= 1, "ConcurrentTrainings must be ≥ 1.")
            .Validate(o => o.Queues.Length > 0, "Queues must name at least one queue.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddStore();
        builder.AddTraining(host);
        builder.AddHttpApi();
        return builder;
    }

    private static void AddLogging(this WebApplicationBuilder builder, LipServiceHostOptions host)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext();
            if (host.JsonLogs) logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}");
        });
    }

    private static void AddStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Directory), "Data:Directory must name a folder.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IDbConnectionFactory, SqliteConnectionFactory>();
        builder.Services.AddSingleton<IJobStore, SqlJobStore>();
        builder.Services.AddHostedService<StoreInitializer>();
    }

    private static void AddTraining(this WebApplicationBuilder builder, LipServiceHostOptions host)
    {
        builder.Services.AddOptions<MnistOptions>().BindConfiguration(MnistOptions.SectionName)
            .PostConfigure<Microsoft.Extensions.Options.IOptions<StorageOptions>>((mnist, storage) =>
            {
                if (string.IsNullOrWhiteSpace(mnist.Directory)) mnist.Directory = Path.Combine(storage.Value.Directory, "mnist");
                mnist.Directory = Path.GetFullPath(mnist.Directory);
            });
        builder.Services.AddOptions<TrainingJobOptions>().BindConfiguration(TrainingJobOptions.SectionName)
            .Validate(o => o.IntraOpThreads >= 1, "Training:IntraOpThreads must be ≥ 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ITrainingDataSource, MnistTrainingDataSource>();
        builder.Services.AddTransient<TrainingJob>();
        builder.Services.AddSingleton<JobScheduler>();

        builder.Services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseInMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Guid }));
        if (host.Role.RunsJobs())
        {
            builder.Services.AddHangfireServer(options =>
            {
                options.Queues = host.Queues;
                options.WorkerCount = host.ConcurrentTrainings;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
            // The in-memory queue dies with the process; our store remembers what to run again.
            builder.Services.AddHostedService<JobRecovery>();
        }
    }

    private static void AddHttpApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.SectionName)
            .Validate(o => o.MaxDigits >= 1 && o.ModelCacheSize >= 1 && o.MaxRequestBytes >= 1024, "Serving limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<DigitImageOptions>().BindConfiguration("Images");
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton(services => new MnistDigitPreprocessor(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DigitImageOptions>>().Value));
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        var serving = builder.Configuration.GetSection(ServingOptions.SectionName).Get<ServingOptions>() ?? new ServingOptions();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o =>
        {
            o.MultipartBodyLengthLimit = serving.MaxRequestBytes;
            o.ValueCountLimit = serving.MaxDigits + 16;
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(PredictEndpoints.RateLimitPolicy, context => serving.PredictPermitsPerSecond <= 0
                ? RateLimitPartition.GetNoLimiter("off")
                : RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = serving.PredictPermitsPerSecond,
                    TokensPerPeriod = serving.PredictPermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                }));
        });
        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<HangfireServerHealthCheck>("hangfire", tags: ["ready"]);
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(SwaggerSetup.Configure);
    }
}
