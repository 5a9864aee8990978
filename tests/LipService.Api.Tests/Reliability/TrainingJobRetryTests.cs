using Hangfire;
using Hangfire.Common;
using LipService.Training.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace LipService.Api.Tests.Reliability;

/// <summary>
/// The retry policy of training jobs lives in the host (Training has no Hangfire): the filters the
/// host's Hangfire server reads give TrainingJob.RunAsync its 20 attempts on the short schedule,
/// as the attribute on the method did, and leave other jobs Hangfire's default.
/// </summary>
public sealed class TrainingJobRetryTests
{
    [Fact]
    public void TrainingJobsRetryOnTheirOwnScheduleAndOtherJobsKeepHangfiresDefault()
    {
        using var factory = new LipServiceFactory();
        var filters = factory.Services.GetRequiredService<IJobFilterProvider>();

        var training = Job.FromExpression<TrainingJob>(j => j.RunAsync("job", CancellationToken.None));
        var retry = Assert.Single(filters.GetFilters(training).Select(f => f.Instance).OfType<AutomaticRetryAttribute>());
        Assert.Equal(20, retry.Attempts);
        Assert.Equal([5, 10, 15, 30, 30, 60], retry.DelaysInSeconds);
        Assert.Equal(AttemptsExceededAction.Fail, retry.OnAttemptsExceeded);

        var other = Job.FromExpression(() => Console.WriteLine());
        var fallback = Assert.Single(filters.GetFilters(other).Select(f => f.Instance).OfType<AutomaticRetryAttribute>());
        Assert.Equal(AutomaticRetryAttribute.DefaultRetryAttempts, fallback.Attempts);
    }
}
