using System.Security.Cryptography;
using LipService.Training.Data;

namespace LipService.Training.Tests.Data;

/// <summary>
/// Downloads from real HTTP servers on the loopback interface serving copies of the real files.
/// </summary>
public sealed class MnistDownloadTests : IDisposable
{
    // Nothing listens on port 1, so connecting fails at once: an unreachable mirror.
    private const string UnreachableMirror = "http://127.0.0.1:1/mnist/";

    private readonly TempDirectory _root = new();
    private readonly string _dir;
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    public MnistDownloadTests()
    {
        // A subfolder that does not exist yet: the loader must create it.
        _dir = Path.Combine(_root.Path, "mnist");
    }

    public void Dispose()
    {
        _http.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task MissingFiles_AreDownloadedVerifiedAndLoaded()
    {
        await using var mirror = new LoopbackMirror(RealMnistFiles.All);

        var data = await Loader(mirror.BaseUrl).LoadAsync(CancellationToken.None);

        Assert.Equal(60_000, data.TrainImages.Count);
        Assert.Equal(10_000, data.TestLabels.Length);
        Assert.Equal(MnistFile.All.Select(f => f.FileName).Order(StringComparer.Ordinal), DirectoryFiles());
        foreach (var file in MnistFile.All)
        {
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(_dir, file.FileName)))));
        }

        Assert.Equal(MnistFile.All.Select(f => f.FileName), mirror.Requests);
    }

    [Fact]
    public async Task DefaultClient_DownloadsToo()
    {
        await using var mirror = new LoopbackMirror(RealMnistFiles.All);
        var loader = new MnistLoader(new MnistOptions { Directory = _dir, Mirrors = [mirror.BaseUrl.TrimEnd('/')] });

        var data = await loader.LoadAsync(CancellationToken.None);

        Assert.Equal(10_000, data.TestImages.Count);
        Assert.Equal(4, DirectoryFiles().Length);
    }

    [Fact]
    public async Task PresentFiles_AreNotDownloadedAgain()
    {
        Directory.CreateDirectory(_dir);
        foreach (var file in new[] { MnistFile.TrainImages, MnistFile.TestLabels })
        {
            File.WriteAllBytes(Path.Combine(_dir, file.FileName), RealMnistFiles.All[file.FileName]);
        }

        await using var mirror = new LoopbackMirror(RealMnistFiles.All);

        await Loader(mirror.BaseUrl).LoadAsync(CancellationToken.None);

        Assert.Equal([MnistFile.TrainLabels.FileName, MnistFile.TestImages.FileName], mirror.Requests);
    }

    [Fact]
    public async Task CorruptedDownload_FailsAndLeavesNoFileBehind()
    {
        await using var mirror = new LoopbackMirror(RealMnistFiles.WithCorrupted(MnistFile.TestLabels));

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(() => Loader(mirror.BaseUrl).LoadAsync(CancellationToken.None));

        Assert.Equal([MnistFile.TestLabels.FileName], ex.MissingFiles);
        Assert.Contains(_dir, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Downloading failed", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"expected {MnistFile.TestLabels.Sha256}", ex.Message, StringComparison.Ordinal);

        // The three good files stay; the bad one exists under no name, final or temporary.
        Assert.Equal(
            new[] { MnistFile.TrainImages, MnistFile.TrainLabels, MnistFile.TestImages }.Select(f => f.FileName).Order(StringComparer.Ordinal),
            DirectoryFiles());
    }

    [Fact]
    public async Task FailureOnFirstFile_StopsAndReportsAllFourMissing()
    {
        await using var mirror = new LoopbackMirror(RealMnistFiles.WithCorrupted(MnistFile.TrainImages));

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(() => Loader(mirror.BaseUrl).LoadAsync(CancellationToken.None));

        Assert.Equal(MnistFile.All.Select(f => f.FileName), ex.MissingFiles);
        Assert.Equal([MnistFile.TrainImages.FileName], mirror.Requests);
        Assert.Empty(DirectoryFiles());
    }

    [Fact]
    public async Task UnreachableFirstMirror_FallsBackToTheSecond()
    {
        await using var mirror = new LoopbackMirror(RealMnistFiles.All);

        var data = await Loader(UnreachableMirror, mirror.BaseUrl).LoadAsync(CancellationToken.None);

        Assert.Equal(60_000, data.TrainLabels.Length);
        Assert.Equal(4, DirectoryFiles().Length);
    }

    [Fact]
    public async Task MirrorWithoutTheFile_FallsBackToTheNext()
    {
        await using var empty = new LoopbackMirror(new Dictionary<string, byte[]>());
        await using var full = new LoopbackMirror(RealMnistFiles.All);

        await Loader(empty.BaseUrl, full.BaseUrl).LoadAsync(CancellationToken.None);

        Assert.Equal(4, empty.Requests.Count);
        Assert.Equal(4, full.Requests.Count);
    }

    [Fact]
    public async Task AllMirrorsFailing_ReportsTheLastErrorAndWhatToDo()
    {
        await using var empty = new LoopbackMirror(new Dictionary<string, byte[]>());

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(
            () => Loader(UnreachableMirror, empty.BaseUrl).LoadAsync(CancellationToken.None));

        Assert.Equal(4, ex.MissingFiles.Count);
        Assert.Contains($"({UnreachableMirror}, {empty.BaseUrl})", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"last error: {empty.BaseUrl}{MnistFile.TrainImages.FileName}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("404", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"into {_dir}", ex.Message, StringComparison.Ordinal);
        Assert.Empty(DirectoryFiles());
    }

    [Fact]
    public async Task StalledMirror_TimesOutAndTheNextIsTried()
    {
        var stalled = new HashSet<string> { MnistFile.TrainImages.FileName };
        await using var slow = new LoopbackMirror(RealMnistFiles.All, stalled);
        await using var good = new LoopbackMirror(RealMnistFiles.All);
        // The timeout bounds each whole download, so it must also cover the slow mirror's healthy files:
        // at 300 ms a loaded machine (the other test projects run beside this one) once let the labels
        // file time out too, and the good mirror was asked for it. 3 s is ten times that and still
        // makes the stalled file's wait short.
        var loader = new MnistLoader(
            new MnistOptions { Directory = _dir, Mirrors = [slow.BaseUrl, good.BaseUrl], DownloadTimeout = TimeSpan.FromSeconds(3) },
            _http);

        await loader.LoadAsync(CancellationToken.None);

        Assert.Equal([MnistFile.TrainImages.FileName], good.Requests);
        Assert.Equal(4, DirectoryFiles().Length);
    }

    [Fact]
    public async Task StalledOnlyMirror_ReportsTheTimeout()
    {
        var stalled = new HashSet<string> { MnistFile.TrainImages.FileName };
        await using var slow = new LoopbackMirror(RealMnistFiles.All, stalled);
        var loader = new MnistLoader(
            new MnistOptions { Directory = _dir, Mirrors = [slow.BaseUrl], DownloadTimeout = TimeSpan.FromMilliseconds(300) },
            _http);

        var ex = await Assert.ThrowsAsync<MnistUnavailableException>(() => loader.LoadAsync(CancellationToken.None));

        Assert.Contains("no complete response within", ex.Message, StringComparison.Ordinal);
        Assert.Empty(DirectoryFiles());
    }

    [Fact]
    public async Task Cancellation_IsNotReportedAsUnavailableAndLeavesNoFile()
    {
        var stalled = new HashSet<string> { MnistFile.TrainImages.FileName };
        await using var slow = new LoopbackMirror(RealMnistFiles.All, stalled);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Loader(slow.BaseUrl).LoadAsync(cancel.Token));

        Assert.Empty(DirectoryFiles());
    }

    private MnistLoader Loader(params string[] mirrors) =>
        new(new MnistOptions { Directory = _dir, Mirrors = mirrors }, _http);

    private string[] DirectoryFiles() =>
        Directory.Exists(_dir)
            ? Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray()
            : [];
}
