using LipService.Api.Contracts;
using LipService.Api.Serving;
using LipService.Api.Tests.Imaging;
using LipService.Training.Specs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LipService.Api.Tests.Serving;

/// <summary>
/// The serving service every interface scores through: its two ways in (pixel batches from JSON and
/// uploads, flat pooled arrays from /v2 and /attack) certify alike, /predict's answer is built from
/// what it returns, and uploads are weighed against the pixel budget before any is decoded.
/// </summary>
public sealed class ImageScoringTests
{
    [Theory]
    [InlineData(new[] { 3, 8 })]
    [InlineData(new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 })]
    public void BatchesAndFlatArraysAreScoredAndCertifiedAlike(int[] classes)
    {
        using var model = UntrainedModels.Load(new TrainingSpec { Classes = classes, Hidden = [16] }, "scoring");
        var images = Images(3);
        var flat = images.SelectMany(image => image).ToArray();

        var fromBatch = ImageScoring.Certify(model, PixelBatch.From(images));
        var fromArray = ImageScoring.Certify(model, flat, images.Length);

        Assert.Same(model, fromBatch.Model);
        Assert.Equal(images.Length, fromBatch.Count);
        Assert.Equal(images.Length * model.Outputs, fromBatch.Scores.Length);
        // The same network on the same pixels; libtorch may round the last bit differently from one
        // call to the next (1e-7 seen for a multiclass model), far inside this tolerance.
        for (int i = 0; i < fromBatch.Scores.Length; i++) Assert.Equal(fromArray.Scores[i], fromBatch.Scores[i], 1e-5f);
        foreach (var scores in new[] { fromBatch, fromArray })
        {
            var labels = new int[images.Length];
            var radii = new double[images.Length];
            CertifiedAnswers.Compute(model, scores.Scores, labels, radii);
            Assert.Equal(labels, scores.Labels);
            Assert.Equal(radii, scores.Radii);
            Assert.All(scores.Labels, label => Assert.Contains(label, classes));
        }
    }

    [Fact]
    public void ATwoClassAnswerHasOneScorePerImageAndBothClasses()
    {
        using var model = UntrainedModels.Load(new TrainingSpec { Classes = [3, 8], Hidden = [16] }, "binary");
        var batch = PixelBatch.From(Images(2));
        var scores = ImageScoring.Certify(model, batch);

        var answer = PredictResponse.From(scores, batch, includeInput: true);

        Assert.Equal("binary", answer.ModelId);
        Assert.Equal(model.LipschitzBound, answer.LipschitzBound);
        Assert.Equal(3, answer.PositiveClass);
        Assert.Equal(8, answer.NegativeClass);
        Assert.Null(answer.Classes);
        for (int i = 0; i < 2; i++)
        {
            var prediction = answer.Predictions[i];
            Assert.Equal(scores.Scores[i], prediction.Score);
            Assert.Null(prediction.Scores);
            Assert.Equal(scores.Labels[i], prediction.Label);
            Assert.Equal(scores.Radii[i], prediction.CertifiedRadius);
            Assert.Same(batch.Image(i), prediction.Input);
        }
    }

    [Fact]
    public void AMulticlassAnswerHasEachImagesScoresInTheOrderOfTheClasses()
    {
        int[] classes = [9, 4, 7];
        using var model = UntrainedModels.Load(new TrainingSpec { Classes = classes, Hidden = [16] }, "multiclass");
        var batch = PixelBatch.From(Images(2));
        var scores = ImageScoring.Certify(model, batch);

        var answer = PredictResponse.From(scores, batch, includeInput: false);

        Assert.Null(answer.PositiveClass);
        Assert.Null(answer.NegativeClass);
        Assert.Equal(classes, answer.Classes);
        for (int i = 0; i < 2; i++)
        {
            var prediction = answer.Predictions[i];
            Assert.Null(prediction.Score);
            Assert.Null(prediction.Input);
            Assert.Equal(scores.Scores.AsSpan(i * classes.Length, classes.Length).ToArray(), prediction.Scores);
            Assert.Equal(scores.Labels[i], prediction.Label);
        }
    }

    [Fact]
    public async Task UploadsOverThePixelBudgetAreRefusedFromTheirHeadersNamingTheFirstOver()
    {
        using var factory = new BudgetFactory();
        var scoring = factory.Services.GetRequiredService<ImageScoring>();
        byte[] png = DigitImages.InvertedPng112(MnistTestDigits.Get(0));

        var one = await scoring.ReadUploadsAsync([Upload(png, "a.png")], CancellationToken.None);
        Assert.Equal(112 * 112, Assert.Single(one).DecodedPixels);

        var refused = await Assert.ThrowsAsync<UploadRefusedException>(() => scoring.ReadUploadsAsync([Upload(png, "a.png"), Upload(png, "b.png")], CancellationToken.None));
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, refused.StatusCode);
        Assert.Equal("files[1]", refused.Field);
        Assert.Equal("Images too large to decode", refused.Title);
        Assert.StartsWith("files[1] 'b.png' is 112×112 pixels; with the images before it this request needs 25,088 decoded pixels, more than the 12,545 allowed", refused.Message);

        var notAnImage = await Assert.ThrowsAsync<UploadRefusedException>(() => scoring.ReadUploadsAsync([Upload(png, "a.png"), Upload([1, 2, 3], "c.png")], CancellationToken.None));
        Assert.Equal(StatusCodes.Status400BadRequest, notAnImage.StatusCode);
        Assert.Equal("files[1]", notAnImage.Field);
        Assert.Null(notAnImage.Title);
    }

    private static float[][] Images(int count)
    {
        var random = new Random(7);
        var images = new float[count][];
        for (int i = 0; i < count; i++)
        {
            images[i] = new float[PixelBatch.PixelsPerImage];
            for (int p = 0; p < images[i].Length; p++) images[i][p] = random.NextSingle();
        }
        return images;
    }

    private static FormFile Upload(byte[] bytes, string name) => new(new MemoryStream(bytes), 0, bytes.Length, "files", name);

    /// <summary>One 112×112 image fits the budget, two do not.</summary>
    private sealed class BudgetFactory : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Images:MaxSide"] = "112",
            ["Images:MaxPixelsPerRequest"] = (112 * 112 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
