using LipService.Api.Inference;

namespace LipService.Api.Tests.Inference;

/// <summary>The protocol's raw BYTES form, which both the binary extension and gRPC's raw outputs use.</summary>
public sealed class BytesTensorTests
{
    [Fact]
    public void EachElementIsItsUtf8ByteLengthLittleEndianThenItsBytes()
    {
        // "é" is two UTF-8 bytes: the length counts bytes, not characters.
        Assert.Equal(
            [2, 0, 0, 0, (byte)'a', (byte)'b', 0, 0, 0, 0, 3, 0, 0, 0, (byte)'c', 0xC3, 0xA9],
            BytesTensor.Raw(["ab", "", "cé"]));
        Assert.Empty(BytesTensor.Raw([]));
    }
}
