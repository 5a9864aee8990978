namespace LipService.Api.Tests.Imaging;

/// <summary>Stands in for a request body: no length, no seeking.</summary>
internal sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
{
    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();
}
