using System.Globalization;

namespace LipService.Training.Jobs;

/// <summary>
/// One run of a job: the process that runs it (host and pid) and a fresh id per run, so two
/// runs in one process are told apart too. Stored as "host/pid/run" in the job's lease.
/// </summary>
public readonly record struct RunnerId(string Host, int ProcessId, string Run)
{
    public static RunnerId NewInThisProcess() => new(Environment.MachineName, Environment.ProcessId, Guid.NewGuid().ToString("N"));

    /// <summary>"host/pid": the process, as a job's <c>worker</c> field shows it.</summary>
    public string Process => $"{Host}/{ProcessId.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => $"{Process}/{Run}";

    /// <summary>Reads "host/pid/run"; host names hold no '/', so the last two separators delimit pid and run.</summary>
    public static RunnerId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int runStart = value.LastIndexOf('/');
        int pidStart = runStart > 0 ? value.LastIndexOf('/', runStart - 1) : -1;
        if (pidStart <= 0 || !int.TryParse(value.AsSpan(pidStart + 1, runStart - pidStart - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || runStart == value.Length - 1)
            throw new FormatException($"'{value}' is not a runner id (host/pid/run).");
        return new RunnerId(value[..pidStart], pid, value[(runStart + 1)..]);
    }
}
