namespace LipService.Api.Hosting;

/// <summary>What this process does (configuration key "Role").</summary>
public enum ServiceRole
{
    /// <summary>HTTP and a Hangfire server in one process: the embedded default.</summary>
    All,

    /// <summary>HTTP only; jobs run in worker processes sharing the storage.</summary>
    Api,

    /// <summary>A Hangfire server only (health endpoints aside).</summary>
    Worker,
}

public static class ServiceRoleExtensions
{
    public static bool ServesApi(this ServiceRole role) => role is ServiceRole.All or ServiceRole.Api;

    public static bool RunsJobs(this ServiceRole role) => role is ServiceRole.All or ServiceRole.Worker;
}
