using LipService.Api.Storage;
using LipService.Api.TrainingData;
using Microsoft.Extensions.Options;

namespace LipService.Api.Hosting;

/// <summary>Says at start where the data, the store, MNIST and Fashion-MNIST are, so a wrong folder shows at once.</summary>
public sealed partial class StartupReport(IOptions<StorageOptions> storage, IDbConnectionFactory database, IOptions<LipServiceHostOptions> host, TrainingDataCheck mnist, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = storage.Value;
        LogRole(host.Value.Role.ToString().ToLowerInvariant(), s.Directory);
        // The factory's description of where the database is: the SQLite file, or PostgreSQL's host and database, never the password.
        LogStore(s.Provider == StorageProvider.Postgres ? "PostgreSQL" : "SQLite file", database.Location);

        var missing = mnist.MissingFiles();
        if (missing.Count == 0) LogMnistPresent(mnist.Directory);
        else if (mnist.Download) LogMnistDownload(mnist.Directory, string.Join(", ", missing));
        else LogMnistMissing(mnist.Directory, string.Join(", ", missing));

        var missingFashion = mnist.MissingFashionFiles();
        if (missingFashion.Count == 0) LogFashionPresent(mnist.FashionDirectory);
        else LogFashionMissing(mnist.FashionDirectory, string.Join(", ", missingFashion));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Role {Role}; data folder {DataDirectory}")]
    private partial void LogRole(string role, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Kind} {Location}")]
    private partial void LogStore(string kind, string location);

    [LoggerMessage(Level = LogLevel.Information, Message = "MNIST: {MnistDirectory}, all four files present")]
    private partial void LogMnistPresent(string mnistDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "MNIST: {MnistDirectory}, missing {MissingFiles}; Mnist:Download is on")]
    private partial void LogMnistDownload(string mnistDirectory, string missingFiles);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MNIST: {MnistDirectory}, missing {MissingFiles}; Mnist:Download is off, so jobs are refused until the files are copied there")]
    private partial void LogMnistMissing(string mnistDirectory, string missingFiles);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fashion-MNIST: {FashionDirectory}, all four files present")]
    private partial void LogFashionPresent(string fashionDirectory);

    // Information, not a warning: most services never train on it; a job that asks for it is refused with the fix.
    [LoggerMessage(Level = LogLevel.Information, Message = "Fashion-MNIST: {FashionDirectory}, missing {MissingFiles}; fashion-mnist jobs are refused until apt-get install dataset-fashion-mnist (or FashionMnist:Directory)")]
    private partial void LogFashionMissing(string fashionDirectory, string missingFiles);
}
