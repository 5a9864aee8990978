using System.Text.Json.Serialization;

namespace LipService.Api.Contracts;

/// <summary>
/// One image to attack: 784 values in [0, 1], row-major 28×28, white digit (1) on black (0), as in MNIST;
/// for a model of an uploaded dataset channels × height × width values, each channel's rows in turn.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AttackRequest
{
    /// <summary>784 numbers in [0, 1] (an uploaded dataset's model: channels × height × width).</summary>
    public float[]? Image { get; init; }

    /// <summary>The model to attack, by id or alias; default the model /predict answers with.</summary>
    public string? ModelId { get; init; }

    /// <summary>Gradient steps, 1 to Attack:MaxSteps; default Attack:DefaultSteps (200).</summary>
    public int? Steps { get; init; }
}
