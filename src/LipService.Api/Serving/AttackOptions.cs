namespace LipService.Api.Serving;

/// <summary>POST /attack limits (configuration section "Attack").</summary>
public sealed class AttackOptions
{
    public const string SectionName = "Attack";

    /// <summary>Gradient steps one request may ask for; each is one forward and backward pass of one image.</summary>
    public int MaxSteps { get; set; } = 1000;

    /// <summary>Steps when the request names none.</summary>
    public int DefaultSteps { get; set; } = 200;

    /// <summary>Wall time of one attack; it then stops and answers the nearest flip found so far.</summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Attacks computed at once, each on a thread of its own: by default one core fewer than the machine
    /// has (at least one), so attacks alone can never take every core from /predict.
    /// </summary>
    public int MaxConcurrent { get; set; } = Math.Max(1, Environment.ProcessorCount - 1);

    /// <summary>Attacks that may wait for a turn beyond those running; more get 429 with Retry-After.</summary>
    public int MaxQueued { get; set; } = 8;

    /// <summary>
    /// Linux nice value of the attack threads (0: as serving, up to 19): where attacks and serving compete
    /// for a core, the scheduler gives serving the larger share. Ignored elsewhere.
    /// </summary>
    public int ThreadNice { get; set; } = 10;
}
