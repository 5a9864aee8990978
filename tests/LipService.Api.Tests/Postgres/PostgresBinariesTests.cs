namespace LipService.Api.Tests.Postgres;

public sealed class PostgresBinariesTests
{
    /// <summary>A machine without the server binaries must be told what to install, since the tests fail rather than skip there.</summary>
    [Fact]
    public void MissingBinariesNameTheDebianPackage()
    {
        var e = Assert.Throws<InvalidOperationException>(() => PostgresBinaries.Find("/nonexistent/postgresql/bin"));
        Assert.Contains("apt-get install postgresql", e.Message);
        Assert.Contains("/nonexistent/postgresql/bin", e.Message);
    }
}
