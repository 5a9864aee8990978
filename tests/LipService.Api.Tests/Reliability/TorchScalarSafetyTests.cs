using System.Reflection;
using LipService.Bench;
using LipService.Models;
using LipService.Training.Engine;
using TorchSharp;
using Xunit.Abstractions;

namespace LipService.Api.Tests.Reliability;

/// <summary>
/// No method of ours calls TorchSharp in a way that makes a temporary <see cref="Scalar"/>: one
/// can be finalized on another thread while libtorch reads it (see <see cref="HeldScalars"/>).
/// Convolutional jobs failed at random with non-finite weights and seeded runs differed because
/// of it; a stress run shows it only now and then, this reading of the IL every time.
/// </summary>
public sealed class TorchScalarSafetyTests(ITestOutputHelper output)
{
    [Fact]
    public void NoMethodOfTheServiceMakesATemporaryScalar()
    {
        var offences = TemporaryScalarScan.Find(
            typeof(HeldScalars).Assembly, typeof(LipschitzTrainer).Assembly, typeof(Program).Assembly, typeof(BenchProgram).Assembly);
        foreach (string offence in offences) output.WriteLine(offence);
        Assert.True(offences.Count == 0, $"{offences.Count} calls make a temporary Scalar:\n{string.Join('\n', offences)}");
    }

    [Fact]
    public void NoTestOfTheServiceMakesATemporaryScalar()
    {
        // A test's own torch arithmetic read a freed Scalar just the same, beside a training in this process.
        var offences = TemporaryScalarScan.Find(typeof(TorchScalarSafetyTests).Assembly)
            .Where(o => !o.Contains(nameof(TemporaryScalarExamples), StringComparison.Ordinal)).ToList();
        Assert.True(offences.Count == 0, $"{offences.Count} calls make a temporary Scalar:\n{string.Join('\n', offences)}");
    }

    [Fact]
    public void TheScanFindsTheOverloadsThatMakeOne()
    {
        // The scan itself must see what it looks for, or the test above could never fail.
        var unsafeMembers = new[]
        {
            typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.square), Type.EmptyTypes)!,
            typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.add), [typeof(torch.Tensor)])!,
            typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.add_), [typeof(Scalar)])!,
            typeof(torch.Tensor).GetMethod("op_Addition", [typeof(torch.Tensor), typeof(double)])!,
        };
        var safeMembers = new[]
        {
            typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.add), [typeof(torch.Tensor), typeof(Scalar)])!,
            typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.pow), [typeof(Scalar)])!,
            typeof(torch.Tensor).GetMethod(nameof(torch.Tensor.mm), [typeof(torch.Tensor)])!,
        };
        var scan = new TemporaryScalarScan();
        foreach (var member in unsafeMembers) Assert.NotNull(scan.WhyUnsafe(member));
        foreach (var member in safeMembers) Assert.Null(scan.WhyUnsafe(member));
        var examples = TemporaryScalarScan.Find(typeof(TemporaryScalarExamples).Assembly);
        Assert.Contains(examples, o => o.Contains($"{nameof(TemporaryScalarExamples)}.{nameof(TemporaryScalarExamples.Implicit)} → Scalar.op_Implicit"));
        Assert.Contains(examples, o => o.Contains($"{nameof(TemporaryScalarExamples)}.{nameof(TemporaryScalarExamples.Overload)} → Tensor.square"));
    }
}

/// <summary>What the scan must catch: a number passed where TorchSharp takes a Scalar, and a call to an overload that makes one.</summary>
internal static class TemporaryScalarExamples
{
    public static torch.Tensor Implicit(torch.Tensor x) => x.mul(2.0);

    public static torch.Tensor Overload(torch.Tensor x) => x.square();
}
