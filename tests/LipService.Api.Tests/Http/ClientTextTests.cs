using LipService.Api.Endpoints;

namespace LipService.Api.Tests.Http;

/// <summary>Every error that quotes a client's text quotes at most 64 characters of it (32 where asked), marked as cut.</summary>
public sealed class ClientTextTests
{
    [Fact]
    public void TextUpToTheLimitIsQuotedWhole()
    {
        string text = new('a', 64);
        Assert.Same(text, ClientText.Short(text));
        Assert.Equal("abc", ClientText.Short("abc", 3));
        Assert.Equal("", ClientText.Short(""));
    }

    [Fact]
    public void LongerTextIsCutAtTheLimitAndMarked()
    {
        string text = new string('a', 64) + "b";
        Assert.Equal(new string('a', 64) + "…", ClientText.Short(text));
        Assert.Equal(new string('a', 32) + "…", ClientText.Short(text, 32));
    }
}
