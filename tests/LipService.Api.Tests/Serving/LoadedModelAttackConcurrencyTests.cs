using LipService.Api.Contracts;
using LipService.Api.Serving;
using LipService.TestSupport;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Serving;

/// <summary>
/// Attacks take gradients through the network every request shares, with no lock, while other
/// requests score with it: each attack must find what it finds alone, and scores must not move.
/// </summary>
public class LoadedModelAttackConcurrencyTests
{
    private const int Threads = 6;
    private const int Rounds = 3;
    private const int Steps = 60;

    [Fact]
    public async Task ConcurrentAttacksAndScoresAnswerAsOneThreadDoes()
    {
        var spec = new TrainingSpec { Classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], Hidden = [32] };
        using var model = UntrainedModels.Load(spec, "attack-concurrency");
        var random = new Random(3);
        var images = new float[Threads][];
        var labels = new int[Threads];
        var radii = new double[Threads];
        var expected = new VerifiedAttack[Threads];
        for (int t = 0; t < Threads; t++)
        {
            images[t] = new float[PixelBatch.PixelsPerImage];
            for (int i = 0; i < images[t].Length; i++) images[t][i] = random.NextSingle();
            CertifiedAnswers.Compute(model, model.Score(images[t], 1), labels.AsSpan(t, 1), radii.AsSpan(t, 1));
            expected[t] = model.Attack(images[t], labels[t], radii[t], Steps, TimeSpan.FromMinutes(1), CancellationToken.None);
            Assert.NotNull(expected[t].Image);
        }
        var batch = new float[100 * PixelBatch.PixelsPerImage];
        for (int i = 0; i < batch.Length; i++) batch[i] = random.NextSingle();
        var scores = model.Score(batch, 100);

        using var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var answers = new List<(VerifiedAttack Attack, float[] Scores)>();
            // Half the threads attack while the others score large batches through libtorch.
            for (int round = 0; round < Rounds; round++)
            {
                answers.Add(t % 2 == 0
                    ? (model.Attack(images[t], labels[t], radii[t], Steps, TimeSpan.FromMinutes(1), CancellationToken.None), [])
                    : (expected[t], model.Score(batch, 100)));
            }
            return answers;
        }, TaskCreationOptions.LongRunning)).ToArray();
        var results = await Task.WhenAll(workers);

        for (int t = 0; t < Threads; t++)
        {
            foreach (var (attack, answer) in results[t])
            {
                Assert.Equal(expected[t].Label, attack.Label);
                Assert.Equal(expected[t].Steps, attack.Steps);
                // Same input, same kernels, same steps: a single image's sums are not split across
                // libtorch's threads, so nothing but a broken shared state could move the answer.
                Tolerance.Relative(expected[t].Distance!.Value, attack.Distance!.Value, 16 * Tolerance.Float32Epsilon);
                Assert.True(attack.Distance >= radii[t]);
                for (int k = 0; k < answer.Length; k++) Tolerance.Absolute(scores[k], answer[k], 64 * Tolerance.Float32Epsilon);
            }
        }
    }
}
