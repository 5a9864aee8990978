using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LipService.Training.Engine;

/// <summary>
/// Adam (Kingma and Ba; PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, no weight decay), with
/// every scalar operand held alive across the native call.
/// </summary>
/// <remarks>
/// Why not <c>torch.optim.Adam</c>: TorchSharp 0.107 turns numbers into <see cref="Scalar"/>
/// objects implicitly and hands their native handles to libtorch without keeping them alive, so a
/// garbage collection on another thread (a busy /predict makes them frequent) can free one mid-call.
/// Under prediction load its step failed with "Unknown scalar type" (dotnet/TorchSharp PRs #1434,
/// #1496 are about these temporaries). Here the scalars are fields or <c>using</c> locals.
/// </remarks>
public sealed class AdamOptimizer : IDisposable
{
    private const int FormatVersion = 1;

    private readonly Parameter[] parameters;
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
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        beta1Scalar = beta1.ToScalar();
        beta2Scalar = beta2.ToScalar();
        oneMinusBeta1 = (1 - beta1).ToScalar();
        oneMinusBeta2 = (1 - beta2).ToScalar();
        this.epsilon = epsilon.ToScalar();
        firstMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        secondMoments = [.. this.parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
    }

    public long Steps => steps;

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad?.zero_();
    }

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
        for (int i = 0; i < parameters.Length; i++)
        {
            var grad = parameters[i].grad;
            if (grad is null) continue;
            firstMoments[i].mul_(beta1Scalar).add_(grad, oneMinusBeta1);
            secondMoments[i].mul_(beta2Scalar).addcmul_(grad, grad, oneMinusBeta2);
            var denominator = secondMoments[i].sqrt().div_(secondCorrection).add_(epsilon);
            parameters[i].addcdiv_(firstMoments[i], denominator, stepSize);
        }
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
        beta1Scalar.Dispose();
        beta2Scalar.Dispose();
        oneMinusBeta1.Dispose();
        oneMinusBeta2.Dispose();
        epsilon.Dispose();
    }
}
