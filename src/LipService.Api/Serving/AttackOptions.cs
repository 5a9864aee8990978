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
}
