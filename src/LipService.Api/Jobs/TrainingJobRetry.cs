using Hangfire;
using Hangfire.Common;
using LipService.Training.Jobs;

namespace LipService.Api.Jobs;

/// <summary>
/// Hangfire's retry policy for <see cref="TrainingJob"/>. Training errors are recorded on the job and
/// not retried (they would fail again); what escapes <see cref="TrainingJob.RunAsync"/> is a lease
/// held by a live runner or a shutdown, and Hangfire retries those later.
/// </summary>
/// <remarks>
/// It used to be an attribute on RunAsync; given here at the same (method) scope, it overrides
/// Hangfire's global default of 10 attempts for training jobs only, and Training needs no Hangfire.
/// </remarks>
public sealed class TrainingJobRetry : IJobFilterProvider
{
    internal static AutomaticRetryAttribute Policy { get; } = new()
    {
        Attempts = 20,
        DelaysInSeconds = [5, 10, 15, 30, 30, 60],
        OnAttemptsExceeded = AttemptsExceededAction.Fail,
    };

    private static readonly JobFilter[] Filters = [new JobFilter(Policy, JobFilterScope.Method, order: null)];

    public IEnumerable<JobFilter> GetFilters(Job job) => job?.Type == typeof(TrainingJob) ? Filters : [];
}
