using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using LipService.Api.Serving;
using LipService.Training.Data;

namespace LipService.Api.Inference;

/// <summary>
/// An Open Inference Protocol inference request over REST, read as far as it can be before the model
/// is known: its JSON part parsed and checked, N known. How many values an image has is the model's,
/// so the pixels are read by <see cref="ReadPixelsAsync(LoadedModel, CancellationToken)"/> once the
/// model is leased. Disposing the request returns its buffers to the pool.
/// </summary>
public sealed class InferenceRequest : IDisposable
{
    // The document reads its values out of this pooled buffer, so both live as long as the request.
    private byte[]? json;
    private readonly JsonDocument document;
    private PooledPixels? pixels;

    internal InferenceRequest(byte[] json, JsonDocument document, string? id, IReadOnlyList<RequestedOutput> outputs, InferenceInput input, PipeReader? binarySection)
    {
        this.json = json;
        this.document = document;
        Id = id;
        Outputs = outputs;
        Input = input;
        BinarySection = binarySection;
    }

    /// <summary>Echoed in the response when given.</summary>
    public string? Id { get; }

    /// <summary>The outputs to answer, in order, each with whether it goes in the binary section.</summary>
    public IReadOnlyList<RequestedOutput> Outputs { get; }

    /// <summary>N: the images the input's shape declares.</summary>
    public int Count => Input.Count;

    /// <summary>Whether the pixels come in the binary tensor data extension rather than as JSON.</summary>
    public bool BinaryInput => Input.BinaryBytes is not null;

    /// <summary>The input's images, C·H·W values each, one after another, once <see cref="ReadPixelsAsync(LoadedModel, CancellationToken)"/> has read them.</summary>
    public PooledPixels Pixels => pixels ?? throw new InvalidOperationException("The pixels are read once the model is known: call ReadPixelsAsync first.");

    internal InferenceInput Input { get; }

    /// <summary>The body after the JSON header with the binary tensor data extension; null without it (the JSON was the whole body).</summary>
    internal PipeReader? BinarySection { get; }

    /// <summary>Checks the input's shape against <paramref name="model"/>'s images and reads them into <see cref="Pixels"/>.</summary>
    public Task ReadPixelsAsync(LoadedModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return ReadPixelsAsync(model.Record.Spec.Input, model.Record.Id, cancellationToken);
    }

    /// <param name="model">The model's name for messages.</param>
    internal async Task ReadPixelsAsync(ImageShape input, string model, CancellationToken cancellationToken)
    {
        if (pixels is not null) throw new InvalidOperationException("The pixels have been read.");
        int pixelsPerImage = InferenceModels.PixelsPerImage(Input.Shape, input, model);
        pixels = await InferenceRequestReader.ReadPixelsAsync(this, pixelsPerImage, cancellationToken);
    }

    public void Dispose()
    {
        pixels?.Dispose();
        document.Dispose();
        var rented = Interlocked.Exchange(ref json, null);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }
}

/// <summary>The request's one input as its JSON gives it, before the model is known.</summary>
/// <param name="Element">The input's JSON object, its "data" still to read.</param>
/// <param name="Shape">As given: only N is checked yet.</param>
/// <param name="BinaryBytes">Its binary_data_size when it comes in the binary section; null when it is "data".</param>
internal sealed record InferenceInput(JsonElement Element, IReadOnlyList<long> Shape, int Count, long? BinaryBytes);

/// <summary>One output a request asks for.</summary>
public sealed record RequestedOutput(string Name, bool Binary);
