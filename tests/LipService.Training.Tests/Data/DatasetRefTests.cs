using LipService.Training.Data;
using LipService.Training.Specs;

namespace LipService.Training.Tests.Data;

public sealed class DatasetRefTests
{
    [Theory]
    [InlineData("mnist", "mnist", false)]
    [InlineData(" Fashion-MNIST ", "fashion-mnist", false)]
    [InlineData("ds-0123456789abcdef01234567", "ds-0123456789abcdef01234567", true)]
    [InlineData(" ds-0123456789abcdef01234567 ", "ds-0123456789abcdef01234567", true)]
    public void ReadsBuiltInNamesAndUploadedIds(string text, string name, bool uploaded)
    {
        Assert.True(DatasetRef.TryParse(text, out var dataset));
        Assert.Equal((name, uploaded), (dataset.Name, dataset.IsUploaded));
        Assert.Equal(dataset, SpecChoices.Dataset.Read(SpecChoices.Dataset.NameOf(dataset)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cifar")]
    [InlineData("ds-0123456789ABCDEF01234567")]
    [InlineData("ds-0123456789abcdef0123456")]
    [InlineData("ds-0123456789abcdef012345678")]
    [InlineData("0123456789abcdef01234567")]
    public void RefusesEverythingElse(string? text)
    {
        Assert.False(DatasetRef.TryParse(text, out _));
        if (text is not null) Assert.Throws<ArgumentException>(() => DatasetRef.Uploaded(text));
    }

    [Fact]
    public void TheDefaultIsMnistAndBuiltInsCompareByKind()
    {
        Assert.Equal(DatasetKind.Mnist, default(DatasetRef));
        Assert.Equal("mnist", default(DatasetRef).Name);
        Assert.NotEqual((DatasetRef)DatasetKind.FashionMnist, DatasetRef.Uploaded("ds-0123456789abcdef01234567"));
        Assert.True(new TrainingSpec { Dataset = DatasetKind.FashionMnist }.IsFashionMnist);
    }

    [Fact]
    public void ClassNamesComeFromTheDatasetOrItsLabels()
    {
        var fashion = new TrainingSpec { Dataset = DatasetKind.FashionMnist };
        Assert.Equal(["T-shirt/top", "Ankle boot"], new[] { 0, 9 }.Select(fashion.ClassName));
        Assert.Equal("7", new TrainingSpec().ClassName(7));
        var uploaded = new TrainingSpec { Dataset = DatasetRef.Uploaded("ds-0123456789abcdef01234567"), ClassNames = ["cat", null] };
        Assert.Equal(["cat", "1", "12"], new[] { 0, 1, 12 }.Select(uploaded.ClassName));
    }
}
