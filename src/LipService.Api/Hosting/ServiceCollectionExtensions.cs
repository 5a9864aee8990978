using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using LipService.Api.Datasets;
using LipService.Api.Endpoints;
using LipService.Api.Imaging;
using LipService.Api.Jobs;
using LipService.Api.Monitoring;
using LipService.Api.Serving;
using LipService.Api.Storage;
using LipService.Api.TrainingData;
using LipService.Training.Data;
using LipService.Training.Jobs;
using Serilog.Formatting.Compact;
using Serilog;

namespace LipService.Api.Hosting;

/// <summary>Service registration of the host, one extension per concern.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Everything the configured role needs.</summary>
    /// <remarks>
    /// Two kinds of settings. The role and the storage decide which services exist, so they are read
    /// once here, checked at once (<see cref="StartupException"/>) and registered as read. Every other
    /// options class is bound once through the options pipeline and validated when the host starts
    /// (ValidateOnStart); what is set up here and needs one (Hangfire, the rate limiter, form limits)
    /// takes it from the service provider instead of reading the configuration a second time.
    /// </remarks>
    public static WebApplicationBuilder AddLipService(this WebApplicationBuilder builder)
    {
        var host = builder.Configuration.Get<LipServiceHostOptions>() ?? new LipServiceHostOptions();
        var storage = StorageOptions.FromConfiguration(builder.Configuration);
        StartupChecks.Check(host, storage);
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(host));
        builder.AddLogging(host);
        builder.Services.AddSingleton(TimeProvider.System);
        // Reports first, so the log says where everything is before anything can fail on it.
        builder.Services.AddHostedService<StartupReport>();
        builder.AddStore(storage);
        builder.AddServiceMetrics();
        builder.AddTraining(host, storage);
        builder.AddHttpApi();
        builder.AddGrpcInference();
        builder.AddModelAliases();
        return builder;
    }

    private static void AddLogging(this WebApplicationBuilder builder, LipServiceHostOptions host)
    {
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration).ReadFrom.Services(services).Enrich.FromLogContext()
                .Enrich.With<JobTagEnricher>()
                // The host logs a failed start with its stack trace; ServiceHost prints it as one line instead.
                .Filter.ByExcluding(e => e.MessageTemplate.Text == "Hosting failed to start");
            if (host.JsonLogs) logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            else logger.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}]{JobTag:l} {Message:lj}{NewLine}{Exception}");
        });
    }

    private static void AddStore(this WebApplicationBuilder builder, StorageOptions storage)
    {
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(storage));
        if (storage.Provider == StorageProvider.Postgres) builder.Services.AddSingleton<IDbConnectionFactory, PostgresConnectionFactory>();
        else builder.Services.AddSingleton<IDbConnectionFactory, SqliteConnectionFactory>();
        builder.Services.AddSingleton<SqlJobStore>();
        builder.Services.AddSingleton<IJobRunStore>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddSingleton<IJobCatalog>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddSingleton<IModelCatalog>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddSingleton<ISweepCatalog>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddSingleton<IAliasCatalog>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddSingleton<IDatasetCatalog>(services => services.GetRequiredService<SqlJobStore>());
        builder.Services.AddHostedService<StoreInitializer>();
    }

    private static void AddTraining(this WebApplicationBuilder builder, LipServiceHostOptions host, StorageOptions storage)
    {
        builder.Services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName)
            .Validate(o => o.ConcurrentTrainings >= 1, "Worker:ConcurrentTrainings must be ≥ 1.")
            .ValidateOnStart();
        builder.Services.AddOptions<QueueRoutingOptions>().BindConfiguration(QueueRoutingOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.CpuQueue) && !string.IsNullOrWhiteSpace(o.GpuQueue), "Routing:CpuQueue and Routing:GpuQueue must name queues.")
            .ValidateOnStart();
        builder.Services.AddOptions<TrainingJobOptions>().BindConfiguration(TrainingJobOptions.SectionName)
            .Validate(o => o.IntraOpThreads >= 1, "Training:IntraOpThreads must be ≥ 1.")
            .ValidateOnStart();
        builder.AddTrainingData(storage);
        builder.Services.AddTransient<TrainingJob>();
        builder.Services.AddSingleton<RunningJobs>();
        builder.Services.AddSingleton<JobScheduler>();
        builder.AddHangfireJobs(storage);
        if (host.Role.RunsJobs())
        {
            builder.AddHangfireWorker();
            // The in-memory queue dies with the process; our store remembers what to run again.
            // (PostgreSQL-backed Hangfire hands a dead worker's job to another worker by itself.)
            if (storage.Provider == StorageProvider.Sqlite) builder.Services.AddHostedService<JobRecovery>();
            builder.Services.AddHostedService(services => services.GetRequiredService<MnistDownload>());
        }
    }

    /// <summary>Where the data sets are, the source jobs load them from, and the check and download that keep MNIST at hand.</summary>
    private static void AddTrainingData(this WebApplicationBuilder builder, StorageOptions storage)
    {
        builder.Services.AddOptions<MnistOptions>().BindConfiguration(MnistOptions.SectionName)
            .PostConfigure(mnist =>
            {
                // Relative to the folder the service was started in, like Data:Directory.
                if (string.IsNullOrWhiteSpace(mnist.Directory)) mnist.Directory = Path.Combine(storage.Directory, "mnist");
                mnist.Directory = Path.GetFullPath(mnist.Directory);
            })
            .Validate(o => o.DownloadTimeout > TimeSpan.Zero, "Mnist:DownloadTimeout must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<FashionMnistOptions>().BindConfiguration(FashionMnistOptions.SectionName)
            .PostConfigure(fashion =>
            {
                if (!string.IsNullOrWhiteSpace(fashion.Directory)) fashion.Directory = Path.GetFullPath(fashion.Directory);
            });
        builder.Services.AddSingleton<BuiltInTrainingDataSource>();
        builder.Services.AddSingleton<ITrainingDataSource, DatasetTrainingDataSource>();
        builder.Services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.SectionName)
            .Validate(o => o.MaxUploadBytes >= 1024 && o.MaxExpandedBytes >= 1024 && o.MaxImageBytes >= 64 && o.MaxImages >= 2, "Datasets: size limits must be positive.")
            .Validate(o => o.MinSide >= 1 && o.MinSide <= o.MaxSide && o.MaxSide <= 1024, "Datasets:MinSide and Datasets:MaxSide must satisfy 1 ≤ MinSide ≤ MaxSide ≤ 1024.")
            .Validate(o => o.MaxClasses is >= 2 and <= 256, "Datasets:MaxClasses must be in 2..256 (labels are stored as one byte).")
            .Validate(o => o.MaxCompressionRatio >= 1, "Datasets:MaxCompressionRatio must be ≥ 1.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DatasetImporter>();
        builder.Services.AddSingleton<TrainingDataCheck>();
        builder.Services.AddSingleton<MnistDownload>();
    }

    private static void AddHttpApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.SectionName)
            .Validate(o => o.MaxDigits >= 1 && o.ModelCacheSize >= 1 && o.MaxRequestBytes >= 1024, "Serving limits must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<AttackOptions>().BindConfiguration(AttackOptions.SectionName)
            .Validate(o => o.MaxSteps >= 1 && o.DefaultSteps >= 1 && o.DefaultSteps <= o.MaxSteps, "Attack:MaxSteps must be ≥ 1 and Attack:DefaultSteps in 1..Attack:MaxSteps.")
            .Validate(o => o.TimeLimit > TimeSpan.Zero, "Attack:TimeLimit must be positive.")
            .Validate(o => o.MaxConcurrent >= 1 && o.MaxQueued >= 0, "Attack:MaxConcurrent must be ≥ 1 and Attack:MaxQueued ≥ 0.")
            .Validate(o => o.ThreadNice is >= 0 and <= 19, "Attack:ThreadNice must be 0 to 19.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AttackQueue>();
        builder.Services.AddOptions<ImageUploadOptions>().BindConfiguration(ImageUploadOptions.SectionName)
            .Validate(o => o.MaxSide >= 28 && o.MaxBytes >= 1024, "Images:MaxSide must be ≥ 28 and Images:MaxBytes ≥ 1024.")
            // Below MaxSide² an image the per-side limit allows could never be decoded.
            .Validate(o => o.MaxPixelsPerRequest >= (long)o.MaxSide * o.MaxSide, "Images:MaxPixelsPerRequest must be at least Images:MaxSide².")
            .ValidateOnStart();
        builder.Services.AddSingleton<ModelCache>();
        builder.Services.AddSingleton<ImageScoring>();
        builder.Services.AddSingleton<DefaultModelPreloader>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DefaultModelPreloader>());
        builder.Services.AddSingleton<IModelStoredListener>(services => services.GetRequiredService<DefaultModelPreloader>());
        builder.Services.AddSingleton(services => new MnistDigitPreprocessor(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImageUploadOptions>>().Value));
        builder.Services.AddSingleton(services => new FashionItemPreprocessor(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImageUploadOptions>>().Value));
        builder.Services.AddSingleton(services => new DatasetImagePreprocessor(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ImageUploadOptions>>().Value));
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.AddOptions<Microsoft.AspNetCore.Http.Features.FormOptions>().Configure<Microsoft.Extensions.Options.IOptions<ServingOptions>>((o, servingOptions) =>
        {
            var serving = servingOptions.Value;
            o.MultipartBodyLengthLimit = serving.MaxRequestBytes;
            o.ValueCountLimit = serving.MaxDigits + 16;
        });
        // /predict charges its digits itself (ImageRateLimiter): the middleware only sees requests.
        builder.Services.AddSingleton<ImageRateLimiter>();
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A client told when to come back need not poll; any policy added later gets it too.
            options.OnRejected = (context, _) =>
            {
                ImageRateLimiter.SetRetryAfter(context.HttpContext.Response, context.Lease);
                return ValueTask.CompletedTask;
            };
        });
        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("store", tags: ["ready"])
            .AddCheck<HangfireServerHealthCheck>("hangfire", tags: ["ready"]);
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(SwaggerSetup.Configure);
    }
}
