using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using LipService.Api.Jobs;
using LipService.Api.Storage;
using Microsoft.Extensions.Options;

namespace LipService.Api.Hosting;

/// <summary>Hangfire's storage (in memory, or PostgreSQL in the scale-out mode), its retry policy for training jobs, and its server in roles that run jobs.</summary>
internal static class HangfireSetup
{
    public static void AddHangfireJobs(this WebApplicationBuilder builder, StorageOptions storage)
    {
        builder.Services.AddOptions<HangfireStorageOptions>().BindConfiguration(HangfireStorageOptions.SectionName)
            .Validate(o => o.InvisibilityTimeout > TimeSpan.Zero && o.QueuePollInterval > TimeSpan.Zero, "Hangfire:InvisibilityTimeout and Hangfire:QueuePollInterval must be positive.")
            .ValidateOnStart();
        // Registered before AddHangfire, which otherwise registers Hangfire's static providers alone.
        builder.Services.AddSingleton<IJobFilterProvider>(new JobFilterProviderCollection(JobFilterProviders.Providers, new TrainingJobRetry()));
        builder.Services.AddHangfire((services, config) =>
        {
            var hangfire = services.GetRequiredService<IOptions<HangfireStorageOptions>>().Value;
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
    }

    /// <summary>The server that takes jobs off this worker's queues, as many at once as Worker:ConcurrentTrainings.</summary>
    public static void AddHangfireWorker(this WebApplicationBuilder builder) =>
        builder.Services.AddHangfireServer((services, options) =>
        {
            var worker = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            options.Queues = [.. worker.EffectiveQueues];
            options.WorkerCount = worker.ConcurrentTrainings;
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
        });
}
