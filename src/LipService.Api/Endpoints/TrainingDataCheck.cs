using LipService.Api.Hosting;
using LipService.Training.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LipService.Api.Endpoints;

/// <summary>
/// Whether a job submitted now can get its MNIST files. Looked at on every submission (four file
/// checks) rather than once, so copying the files in takes effect without a restart.
/// </summary>
public sealed class TrainingDataCheck(IOptions<MnistOptions> mnist, IOptions<LipServiceHostOptions> host)
{
    public string Directory => mnist.Value.Directory;

    public bool Download => mnist.Value.Download;

    public IReadOnlyList<string> MissingFiles()
        => [.. MnistFile.All.Select(f => f.FileName).Where(name => !File.Exists(Path.Combine(Directory, name)))];

    /// <summary>
    /// 409 when files are missing and may not be downloaded: the request is fine, the server's data
    /// is not, and no retry helps until an operator acts (a 503 would invite retries and mark the
    /// instance unhealthy, though predictions work). Null when a job here can get its data.
    /// </summary>
    public ProblemHttpResult? Refusal()
    {
        // An api process's own disk says nothing about the workers' that run the jobs.
        if (host.Value.Role != ServiceRole.All || Download) return null;
        var missing = MissingFiles();
        if (missing.Count == 0) return null;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "MNIST is not available",
            detail: $"{string.Join(", ", missing)} missing from {Directory}, and downloading is off (Mnist:Download=false). "
                + $"Copy the four MNIST files ({string.Join(", ", MnistFile.All.Select(f => f.FileName))}) into {Directory}, "
                + "point Mnist:Directory at a folder that holds them, or start the service with Mnist:Download=true.",
            extensions: new Dictionary<string, object?> { ["directory"] = Directory, ["missingFiles"] = missing });
    }
}
