using LipService.Api.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace LipService.Api.Tests.Storage;

/// <summary>Which store exceptions become 507 or 503, and which stay a 500 (a bug).</summary>
public sealed class StoreFailureTests
{
    [Theory]
    [InlineData(13, StoreFailureKind.DiskFull)]
    [InlineData(8, StoreFailureKind.Unavailable)]
    [InlineData(14, StoreFailureKind.Unavailable)]
    [InlineData(5, StoreFailureKind.Unavailable)]
    [InlineData(11, StoreFailureKind.Damaged)]
    [InlineData(26, StoreFailureKind.Damaged)]
    public void SqliteCodes(int code, StoreFailureKind expected) =>
        Assert.Equal(expected, StoreFailure.Classify(new SqliteException("sqlite says no", code), sqliteFile: null));

    [Fact]
    public void SqliteSyntaxErrorIsABug() =>
        Assert.Null(StoreFailure.Classify(new SqliteException("SQLite Error 1: 'no such column'", 1), sqliteFile: null));

    [Fact]
    public void SqliteIoErrorIsUnavailableWhileTheDiskHasRoom() =>
        Assert.Equal(StoreFailureKind.Unavailable, StoreFailure.Classify(new SqliteException("disk I/O error", 10), Path.Combine(Path.GetTempPath(), "x.db")));

    [Theory]
    [InlineData("53100", StoreFailureKind.DiskFull)]
    [InlineData("53200", StoreFailureKind.Unavailable)]
    [InlineData("08006", StoreFailureKind.Unavailable)]
    [InlineData("57P03", StoreFailureKind.Unavailable)]
    public void PostgresStates(string state, StoreFailureKind expected) =>
        Assert.Equal(expected, StoreFailure.Classify(new PostgresException("postgres says no", "ERROR", "ERROR", state), sqliteFile: null));

    [Fact]
    public void PostgresConstraintViolationIsABug() =>
        Assert.Null(StoreFailure.Classify(new PostgresException("duplicate key", "ERROR", "ERROR", "23505"), sqliteFile: null));

    [Fact]
    public void WrappedExceptionsAreFound() =>
        Assert.Equal(StoreFailureKind.DiskFull, StoreFailure.Classify(
            new InvalidOperationException("outer", new AggregateException(new SqliteException("full", 13))), sqliteFile: null));

    [Fact]
    public void DescriptionNamesTheDatabaseAndTheFix()
    {
        string text = StoreFailure.Describe(StoreFailureKind.DiskFull, "/data/lipservice.db", new SqliteException("SQLite Error 13: 'database or disk is full'.", 13));
        Assert.Contains("/data/lipservice.db", text);
        Assert.Contains("database or disk is full", text);
        Assert.Contains("Free space", text);
    }
}
