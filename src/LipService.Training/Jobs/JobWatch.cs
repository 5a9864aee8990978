namespace LipService.Training.Jobs;

/// <summary>
/// Runs beside a training: renews the runner's lease and stops the training when a cancel is
/// requested (from any process, through the store) or the lease is lost.
/// </summary>
internal sealed class JobWatch(IJobRunStore store, string jobId, RunnerId runner, TrainingJobOptions options, CancellationTokenSource stop)
{
    private volatile bool cancelRequested;
    private volatile bool leaseLost;
    private readonly CancellationTokenSource done = new();

    public bool CancelRequested => cancelRequested;

    public bool LeaseLost => leaseLost;

    /// <summary>A cancel delivered in-process: stop now rather than at the next look at the store.</summary>
    public void Cancel()
    {
        cancelRequested = true;
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The training ended between the lookup and this call: nothing left to stop.
        }
    }

    public async Task RunAsync()
    {
        using var timer = new PeriodicTimer(options.WatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(done.Token))
            {
                if (!await CheckAsync()) return;
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
        }
    }

    /// <returns>False once the training has been told to stop.</returns>
    private async Task<bool> CheckAsync()
    {
        try
        {
            var job = await store.GetJobAsync(jobId, done.Token);
            if (job is null || job.CancelRequested)
            {
                cancelRequested = true;
                await stop.CancelAsync();
                return false;
            }
            if (!await store.RenewLeaseAsync(jobId, runner, options.LeaseDuration, done.Token))
            {
                leaseLost = true;
                await stop.CancelAsync();
                return false;
            }
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store hiccup must not kill the training; the lease outlives several missed renewals.
            return true;
        }
    }

    public async Task StopAsync(Task watching)
    {
        await done.CancelAsync();
        await watching;
        done.Dispose();
    }
}
