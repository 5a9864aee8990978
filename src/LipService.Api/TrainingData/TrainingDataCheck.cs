using LipService.Api.Hosting;
using LipService.Training.Data;
using LipService.Training.Specs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LipService.Api.TrainingData;

/// <summary>
/// Whether a job submitted now can get its MNIST files. Looked at on every submission (four file
/// checks) rather than once, so copying the files in takes effect without a restart.
/// </summary>
public sealed class TrainingDataCheck(IOptions<MnistOptions> mnist, IOptions<FashionMnistOptions> fashion, IOptions<LipServiceHostOptions> host, MnistDownload download)
{
    public string Directory => mnist.Value.Directory;

    public bool Download => mnist.Value.Download;

    public IReadOnlyList<string> MissingFiles()
        => [.. MnistFile.All.Select(f => f.FileName).Where(name => !File.Exists(Path.Combine(Directory, name)))];

    /// <summary>
    /// 409 when files are missing and may not be downloaded, or their download failed: the request
    /// is fine, the server's data is not, and no retry helps until an operator acts (a 503 would
    /// invite retries and mark the instance unhealthy, though predictions work). Null when a job
    /// here can get its data (the files are there, or a download may still bring them).
    /// </summary>
    public ProblemHttpResult? Refusal(IEnumerable<TrainingSpec> specs)
    {
        // An api process's own disk says nothing about the workers' that run the jobs.
        if (host.Value.Role != ServiceRole.All) return null;
        bool needsMnist = false, needsFashion = false;
        foreach (var spec in specs)
        {
            // An uploaded dataset is in the store, which every process reaches.
            if (spec.Dataset.IsUploaded) continue;
            if (spec.IsFashionMnist) needsFashion = true;
            else needsMnist = true;
        }
        return (needsFashion ? FashionRefusal() : null) ?? (needsMnist ? MnistRefusal() : null);
    }

    /// <summary>Where Fashion-MNIST is read from: FashionMnist:Directory, or Debian's package folder.</summary>
    public string FashionDirectory => new FashionMnistLoader(fashion.Value).DataDirectory;

    public IReadOnlyList<string> MissingFashionFiles()
        => [.. IdxDatasetFiles.FashionMnist.MissingFrom(FashionDirectory).Select(f => f.FileName)];

    /// <summary>Fashion-MNIST is never downloaded: it comes from Debian's package or a configured folder.</summary>
    private ProblemHttpResult? FashionRefusal()
    {
        var names = MissingFashionFiles();
        if (names.Count == 0) return null;
        string directory = FashionDirectory;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Fashion-MNIST is not available",
            detail: $"{string.Join(", ", names)} missing from {directory}. Install Debian's package (apt-get install dataset-fashion-mnist) "
                + $"or point FashionMnist:Directory at a folder holding {string.Join(", ", IdxDatasetFiles.FashionMnist.All.Select(f => f.FileName))}. Fashion-MNIST is never downloaded.",
            extensions: new Dictionary<string, object?> { ["directory"] = directory, ["missingFiles"] = names });
    }

    private ProblemHttpResult? MnistRefusal()
    {
        var missing = MissingFiles();
        if (missing.Count == 0) return null;
        string fix = $"Copy the four MNIST files ({string.Join(", ", MnistFile.All.Select(f => f.FileName))}) into {Directory}, "
            + "or point Mnist:Directory at a folder that holds them";
        if (!Download)
        {
            return Problem("MNIST is not available",
                $"{string.Join(", ", missing)} missing from {Directory}, and downloading is off (Mnist:Download=false). "
                + fix + ", or start the service with Mnist:Download=true.", missing);
        }
        if (download.LastFailure is not { } failure) return null;
        // Try again behind this refusal: a network that is back serves the next submission.
        download.Start();
        // The loader's message names the files, the folder, the mirrors, the last error and the fix.
        return Problem("MNIST could not be downloaded", $"{failure.Message} The download is being tried again.", missing);
    }

    private ProblemHttpResult Problem(string title, string detail, IReadOnlyList<string> missing) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: title,
        detail: detail,
        extensions: new Dictionary<string, object?> { ["directory"] = Directory, ["missingFiles"] = missing });
}
