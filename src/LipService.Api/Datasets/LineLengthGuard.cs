namespace LipService.Api.Datasets;

/// <summary>
/// Passes text through, refusing it once a line runs past a length no dataset row needs. A CSV parser
/// holds a whole row in memory, so without this one endless line would be the whole upload in memory.
/// </summary>
internal sealed class LineLengthGuard(TextReader inner, int maxLineChars, Func<long, DatasetRejectedException> tooLong) : TextReader
{
    private long _line = 1;
    private int _sinceNewline;

    public override int Read(Span<char> buffer)
    {
        int read = inner.Read(buffer);
        Check(buffer[..read]);
        return read;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read()
    {
        int c = inner.Read();
        if (c >= 0) Check([(char)c]);
        return c;
    }

    public override int Peek() => inner.Peek();

    private void Check(ReadOnlySpan<char> text)
    {
        while (true)
        {
            int newline = text.IndexOf('\n');
            int length = newline < 0 ? text.Length : newline;
            if ((long)_sinceNewline + length > maxLineChars) throw tooLong(_line);
            if (newline < 0)
            {
                _sinceNewline += length;
                return;
            }
            _line++;
            _sinceNewline = 0;
            text = text[(newline + 1)..];
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The longest line a row of <paramref name="values"/> numbers can need, leaving room for spaces and zero padding.</summary>
    public static int LimitFor(int values) => checked((values * 16) + 1024);
}
