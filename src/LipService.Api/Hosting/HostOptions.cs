namespace LipService.Api.Hosting;

/// <summary>Process-level settings: the role, access control, logging.</summary>
public sealed class LipServiceHostOptions
{
    public ServiceRole Role { get; set; } = ServiceRole.All;

    /// <summary>When set, POST /jobs and DELETE need the header X-Api-Key with this value.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Serve the Hangfire dashboard to remote clients too (it is local-only otherwise).</summary>
    public bool DashboardRemoteAccess { get; set; }

    /// <summary>Write logs as compact JSON instead of text.</summary>
    public bool JsonLogs { get; set; }
}
