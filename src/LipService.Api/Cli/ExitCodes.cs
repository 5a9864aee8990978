namespace LipService.Api.Cli;

/// <summary>Exit codes of the executable, as scripts and container runtimes see them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command failed (MNIST unavailable, the service could not start, ...).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong (unknown option, bad value): the Unix usage-error convention.</summary>
    public const int BadCommandLine = 2;
}
