using LipService.Models;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>
/// Adam (Kingma and Ba; PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, no weight decay), with
/// every scalar operand held alive across the native call, over one flat buffer per quantity.
/// </summary>
/// <remarks>
/// Why not <c>torch.optim.Adam</c>: TorchSharp 0.107 turns numbers into <see cref="Scalar"/>
/// objects implicitly and hands their native handles to libtorch without keeping them alive, so a
/// garbage collection on another thread (a busy /predict makes them frequent) can free one mid-call.
/// Under prediction load its step failed with "Unknown scalar type" (dotnet/TorchSharp PRs #1434,
/// #1496 are about these temporaries). Here the scalars are fields or <c>using</c> locals.
/// <para>
/// Flat buffers: the constructor moves every parameter's data into one tensor (the parameters become
/// views of it) and gives each parameter a gradient that is a view of a second one, which backward
/// accumulates into in place. A step is then seven native calls and <see cref="ZeroGrad"/> one,
/// whatever the number of parameters — per tensor, the notebook's network needed forty. A parameter
/// that took no part in a backward pass has a zero gradient rather than none, so its moments still
/// decay (PyTorch would skip it); every layer of our networks takes part in every step.
/// </para>
/// </remarks>
public sealed class AdamOptimizer : IDisposable
{
    private const int FormatVersion = 1;

    private readonly Parameter[] parameters;
    private readonly Tensor flatParameters;
    private readonly Tensor flatGradients;
    private readonly Tensor firstMoment;
    private readonly Tensor secondMoment;
    // Per-parameter views of the moments: the saved state keeps one tensor per parameter.
    private readonly Tensor[] firstMoments;
    private readonly Tensor[] secondMoments;
    private readonly double learningRate;
    private readonly double beta1;
    private readonly double beta2;
    private readonly Scalar beta1Scalar;
    private readonly Scalar beta2Scalar;
    private readonly Scalar oneMinusBeta1;
    private readonly Scalar oneMinusBeta2;
    private readonly Scalar epsilon;
    private long steps;

    public AdamOptimizer(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate > 0)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive.");
        this.parameters = [.. parameters];
        if (this.parameters.Length == 0) throw new ArgumentException("There are no parameters to optimize.", nameof(parameters));
        var first = this.parameters[0];
        if (this.parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("Every parameter must have the same dtype and device.", nameof(parameters));
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        beta1Scalar = beta1.ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        this.epsilon = epsilon.ToScalar();

        long total = this.parameters.Sum(p => p.numel());
        flatParameters = empty(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        flatGradients = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        firstMoment = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        secondMoment = zeros(total, dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        firstMoments = new Tensor[this.parameters.Length];
        secondMoments = new Tensor[this.parameters.Length];
        using var _ = no_grad();
        long offset = 0;
        for (int i = 0; i < this.parameters.Length; i++)
        {
            var p = this.parameters[i];
            long count = p.numel();
            Tensor Slice(Tensor flat) => flat.narrow(0, offset, count).view(p.shape).DetachFromDisposeScope();
            using (var data = Slice(flatParameters))
            {
                data.copy_(p);
                p.set_(data);
            }
            using (var gradient = Slice(flatGradients))
                p.grad = gradient;
            firstMoments[i] = Slice(firstMoment);
            secondMoments[i] = Slice(secondMoment);
            offset += count;
        }
    }

    public long Steps => steps;

    public void ZeroGrad() => flatGradients.zero_();

    /// <summary>θ ← θ − s·lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε), as PyTorch's Adam; s scales the rate for a schedule.</summary>
    public void Step(double learningRateScale = 1)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        steps++;
        double biasCorrection1 = 1 - Math.Pow(beta1, steps);
        double biasCorrection2 = 1 - Math.Pow(beta2, steps);
        using var stepSize = (-learningRate * learningRateScale / biasCorrection1).ToScalar();
        using var secondCorrection = Math.Sqrt(biasCorrection2).ToScalar();
        firstMoment.mul_(beta1Scalar).add_(flatGradients, oneMinusBeta1);
        secondMoment.mul_(beta2Scalar).addcmul_(flatGradients, flatGradients, oneMinusBeta2);
        var denominator = secondMoment.sqrt().div_(secondCorrection).add_(epsilon, HeldScalars.One);
        flatParameters.addcdiv_(firstMoment, denominator, stepSize);
    }

    public byte[] SaveState()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(FormatVersion);
            writer.Write(steps);
            writer.Write(parameters.Length);
            for (int i = 0; i < parameters.Length; i++)
            {
                firstMoments[i].Save(writer);
                secondMoments[i].Save(writer);
            }
        }
        return stream.ToArray();
    }

    public void LoadState(byte[] state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var reader = new BinaryReader(new MemoryStream(state, writable: false));
        if (reader.ReadInt32() != FormatVersion) throw new InvalidDataException("Unknown optimizer state format.");
        long savedSteps = reader.ReadInt64();
        if (reader.ReadInt32() != parameters.Length) throw new InvalidDataException("The optimizer state belongs to another network.");
        using (no_grad())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                firstMoments[i].Load(reader);
                secondMoments[i].Load(reader);
            }
        }
        steps = savedSteps;
    }

    public void Dispose()
    {
        foreach (var t in firstMoments) t.Dispose();
        foreach (var t in secondMoments) t.Dispose();
        flatParameters.Dispose();
        flatGradients.Dispose();
        firstMoment.Dispose();
        secondMoment.Dispose();
        beta1Scalar.Dispose();
        beta2Scalar.Dispose();
        oneMinusBeta1.Dispose();
        oneMinusBeta2.Dispose();
        epsilon.Dispose();
    }
}
