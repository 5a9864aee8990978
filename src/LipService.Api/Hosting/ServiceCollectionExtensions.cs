using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
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
        builder.Services.AddOptions<LipServiceHostOptions>().Bind(builder.Configuration);
        builder.Services.AddSingleton(TimeProvider.System);
        var storage = StorageOptions.FromConfiguration(builder.Configuration);
        if (host.Role != ServiceRole.All && storage.Provider == StorageProvider.Sqlite)
        {
            // The SQLite store and the in-memory queue are one process's: an api-only or worker-only
            // process would queue jobs nobody runs, or wait for jobs nobody queues.
            throw new InvalidOperationException($"Role {host.Role.ToString().ToLowerInvariant()} needs Storage:Provider=postgres and ConnectionStrings:Postgres; the embedded SQLite mode runs as Role all.");
        }
        builder.AddStore(storage);
        builder.AddTraining(host, storage);
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

    private static void AddStore(this WebApplicationBuilder builder, StorageOptions storage)
    {
        // Read once in AddLipService (Hangfire's set-up needs it too), so checked here and registered as read.
        if (string.IsNullOrWhiteSpace(storage.Directory)) throw new InvalidOperationException("Data:Directory must name a folder.");
        if (storage.Provider == StorageProvider.Postgres && string.IsNullOrWhiteSpace(storage.PostgresConnectionString))
            throw new InvalidOperationException("Storage:Provider is postgres: set ConnectionStrings:Postgres.");
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(storage));
        if (storage.Provider == StorageProvider.Postgres) builder.Services.AddSingleton<IDbConnectionFactory, PostgresConnectionFactory>();
        else builder.Services.AddSingleton<IDbConnectionFactory, SqliteConnectionFactory>();
        builder.Services.AddSingleton<SqlJobStore>();
        builder.Services.AddSingleton<IJobRunStore>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddSingleton<IJobCatalog>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddHostedService<StoreInitializer>();
    }

    private static void AddTraining(this WebApplicationBuilder builder, LipServiceHostOptions host, StorageOptions storage)
    {
        var worker = builder.Configuration.GetSection(WorkerOptions.SectionName).Get<WorkerOptions>() ?? new WorkerOptions();
        var hangfire = builder.Configuration.GetSection(HangfireStorageOptions.SectionName).Get<HangfireStorageOptions>() ?? new HangfireStorageOptions();
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.ConcurrentTrainings >= 1, "Worker:ConcurrentTrainings must be ≥ 1.")
            .ValidateOnStart();
        builder.Services.AddOptions<QueueRoutingOptions>().BindConfiguration(QueueRoutingOptions.SectionName);
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
        builder.Services.AddSingleton<RunningJobs>();
        builder.Services.AddSingleton<JobScheduler>();

        builder.Services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (storage.Provider == StorageProvider.Postgres)
            {
                config.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(storage.PostgresConnectionString), new PostgreSqlStorageOptions
                {
                    // A live worker keeps extending its claim; a dead one's job is handed out again after InvisibilityTimeout.
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = hangfire.InvisibilityTimeout,
                    QueuePollInterval = hangfire.QueuePollInterval,
                    PrepareSchemaIfNecessary = true,
                });
            }
            else
            {
                config.UseInMemoryStorage(new InMemoryStorageOptions { IdType = InMemoryStorageIdType.Guid });
            }
        });
        if (host.Role.RunsJobs())
        {
            builder.Services.AddHangfireServer(options =>
            {
                options.Queues = [.. worker.EffectiveQueues];
                options.WorkerCount = worker.ConcurrentTrainings;
                options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            });
            // The in-memory queue dies with the process; our store remembers what to run again.
            // (PostgreSQL-backed Hangfire hands a dead worker's job to another worker by itself.)
            if (storage.Provider == StorageProvider.Sqlite) builder.Services.AddHostedService<JobRecovery>();
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
