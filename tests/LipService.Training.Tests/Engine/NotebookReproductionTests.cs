using LipService.Models;
using LipService.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace LipService.Training.Tests.Engine;

[Collection(TrainedNotebookCollection.Name)]
public class NotebookReproductionTests(TrainedNotebookModel model)
{
    private TrainingResult Result => model.Result;

    [Fact]
    public void ReachesTheNotebooksValidationAccuracyAndKr()
    {
        var final = Result.FinalMetrics;
        Assert.Equal(10, Result.History.Count);
        // The notebook printed 0.985 and val KR 6.13 after 10 epochs.
        Assert.True(final.ValAccuracy >= 0.985, $"val accuracy {final.ValAccuracy:F4}");
        Assert.InRange(final.ValKr, 5.5, 7.0);
        Assert.Equal(Enumerable.Range(1, 10), Result.History.Select(m => m.Epoch));
    }

    [Fact]
    public void CertifiedAccuracyIsReportedAndDecreasesWithEpsilon()
    {
        var points = Result.CertifiedAccuracy;
        Assert.Equal([0, 0.1, 0.25, 0.3, 0.5, 1.0, 1.58, 2.0], points.Select(p => p.Epsilon));
        for (int i = 1; i < points.Count; i++) Assert.True(points[i].Accuracy <= points[i - 1].Accuracy);
        // At ε = 0 it is the accuracy with strict sign agreement.
        Assert.InRange(points[0].Accuracy, Result.FinalMetrics.ValAccuracy - 1e-3, Result.FinalMetrics.ValAccuracy);
        Assert.True(points[4].Accuracy > 0.9, $"certified accuracy at 0.5: {points[4].Accuracy:F4}");
    }

    [Fact]
    public void ExportedBoundComesFromTheWeightsAndIsAboutOne()
    {
        foreach (var spectrum in Result.Exported.Spectra())
        {
            // GroupSort2 networks trained with Björck keep every kernel orthonormal up to the 1e-3 stopping tolerance.
            Assert.InRange(spectrum.MaxSingularValue, 0.99, 1.003);
        }
        Assert.InRange(Result.LipschitzBound, 0.98, 1.01);
    }

    [Fact]
    public void InputGradientNormIsOneAtTestDigits()
    {
        using var scope = NewDisposeScope();
        var x = TestDigits(500).requires_grad_();
        Result.Exported.forward(x).sum().backward();
        using var bound = Result.LipschitzBound.ToScalar();
        using var one = 1.ToScalar();
        var norms = x.grad!.norm(1) / bound;
        // Orthonormal kernels and GroupSort2 preserve gradient norms; 1e-3 is the tolerance.
        Assert.True((norms - one).abs().max().item<float>() < 1e-3, $"max |‖∇f‖/L − 1| = {(norms - one).abs().max().item<float>()}");
    }

    [Fact]
    public void LipschitzBoundHoldsOnPairsOfDigits()
    {
        using var scope = NewDisposeScope();
        var digits = TestDigits(1954);
        var first = randint(0, 1954, [10_000], generator: new Generator(1));
        var second = randint(0, 1954, [10_000], generator: new Generator(2));
        var x = digits.index_select(0, first);
        var y = digits.index_select(0, second);
        var distances = (x - y).norm(1);
        using var zero = 0.ToScalar();
        var keep = distances > zero;
        var ratios = (Result.Exported.forward(x) - Result.Exported.forward(y)).abs().reshape(-1).masked_select(keep) / distances.masked_select(keep);
        // 1e-5 relative slack for float32 rounding.
        Assert.True(ratios.max().item<float>() <= Result.LipschitzBound * (1 + 1e-5));
    }

    [Fact]
    public void CertificateSurvivesAProjectedGradientAttack()
    {
        using var scope = NewDisposeScope();
        var exported = Result.Exported;
        var x = TestDigits(200);
        Tensor scores;
        using (no_grad()) scores = exported.forward(x).reshape(-1);
        var signs = scores.sign();
        using var fraction = 0.99.ToScalar();
        using var bound = Result.LipschitzBound.ToScalar();
        using var tiny = 1e-12.ToScalar();
        using var stepSize = 0.05.ToScalar();
        using var slack = 1.0001.ToScalar();
        var budget = (fraction * scores.abs() / bound).unsqueeze(1);

        // L2 PGD towards the decision boundary, confined to 0.99 × the certified radius.
        var delta = zeros_like(x);
        for (int step = 0; step < 100; step++)
        {
            using var stepScope = NewDisposeScope();
            var d = delta.detach().requires_grad_();
            (signs * exported.forward(x.add(d, HeldScalars.One)).reshape(-1)).sum().backward();
            var grad = d.grad!;
            var direction = grad / grad.norm(1, keepdim: true).add(tiny, HeldScalars.One);
            var next = d.detach() - stepSize * budget * direction;
            var norms = next.norm(1, keepdim: true);
            next = next * minimum(ones_like(norms), budget / norms.add(tiny, HeldScalars.One));
            delta = next.MoveToOuterDisposeScope();
        }

        Tensor attacked;
        using (no_grad()) attacked = exported.forward(x.add(delta, HeldScalars.One)).reshape(-1);
        Assert.True(delta.norm(1).le(budget.reshape(-1) * slack).all().item<bool>());
        Assert.True(attacked.sign().eq(signs).all().item<bool>());
        // The attack did work: margins shrank, just not past zero.
        Assert.True((attacked.abs() < scores.abs()).to(float32).mean().item<float>() > 0.9);
    }

    private static Tensor TestDigits(int count)
        => tensor(NotebookTask.Test.Pixels[..(count * 784)], [count, 784]);
}
