using System.Text.Json;
using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

public sealed class DatasetKindTests
{
    [Theory]
    [InlineData("mnist", DatasetKind.Mnist)]
    [InlineData("MNIST", DatasetKind.Mnist)]
    [InlineData("fashion-mnist", DatasetKind.FashionMnist)]
    [InlineData("Fashion-MNIST", DatasetKind.FashionMnist)]
    [InlineData(" fashion-mnist ", DatasetKind.FashionMnist)]
    public void TryParse_ReadsTheNamesInAnyCase(string value, DatasetKind expected)
    {
        Assert.True(DatasetKinds.TryParse(value, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("FashionMnist")]
    [InlineData("fashion_mnist")]
    [InlineData("fashion")]
    [InlineData("1")]
    public void TryParse_RefusesEverythingElse(string? value)
    {
        Assert.False(DatasetKinds.TryParse(value, out _));
    }

    [Fact]
    public void Json_UsesTheSameNames()
    {
        Assert.Equal("\"mnist\"", JsonSerializer.Serialize(DatasetKind.Mnist));
        Assert.Equal("\"fashion-mnist\"", JsonSerializer.Serialize(DatasetKind.FashionMnist));
        Assert.Equal(DatasetKind.FashionMnist, JsonSerializer.Deserialize<DatasetKind>("\"fashion-mnist\""));
        Assert.Equal(["mnist", "fashion-mnist"], DatasetKinds.Names);
        Assert.Equal(DatasetKinds.Names, Enum.GetValues<DatasetKind>().Select(k => k.ToName()));
    }
}
