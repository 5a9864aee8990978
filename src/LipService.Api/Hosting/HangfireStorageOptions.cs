namespace LipService.Api.Hosting;

/// <summary>Hangfire's PostgreSQL storage timings (configuration section "Hangfire").</summary>
public sealed class HangfireStorageOptions
{
    public const string SectionName = "Hangfire";

    /// <summary>How long a job fetched by a worker that stopped heart-beating stays invisible before another worker may take it.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often idle workers look for new jobs.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
