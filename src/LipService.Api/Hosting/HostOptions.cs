namespace LipService.Api.Hosting;

/// <summary>Process-level settings: the role, the Hangfire server, access control.</summary>
public sealed class LipServiceHostOptions
{
    public ServiceRole Role { get; set; } = ServiceRole.All;

    /// <summary>Trainings that run at once in this process; one keeps predictions fast while a job runs.</summary>
    public int ConcurrentTrainings { get; set; } = 1;

    /// <summary>Hangfire queues this process takes jobs from.</summary>
    public string[] Queues { get; set; } = ["training"];

    /// <summary>When set, POST /jobs and DELETE need the header X-Api-Key with this value.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Serve the Hangfire dashboard to remote clients too (it is local-only otherwise).</summary>
    public bool DashboardRemoteAccess { get; set; }

    /// <summary>Write logs as compact JSON instead of text.</summary>
    public bool JsonLogs { get; set; }
}
