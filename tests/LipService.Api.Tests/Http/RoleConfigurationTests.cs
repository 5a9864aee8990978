namespace LipService.Api.Tests.Http;

public class RoleConfigurationTests
{
    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void SplitRolesRefuseTheEmbeddedStore(string role)
    {
        using var factory = new RoleFactory(role);
        var error = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());
        Assert.Contains("Storage:Provider=postgres", error.ToString());
    }

    private sealed class RoleFactory(string role) : LipServiceFactory
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Role"] = role };
    }
}
