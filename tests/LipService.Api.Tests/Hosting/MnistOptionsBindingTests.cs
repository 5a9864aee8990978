using LipService.Training.Data;
using Microsoft.Extensions.Configuration;

namespace LipService.Api.Tests.Hosting;

public class MnistOptionsBindingTests
{
    [Fact]
    public void ConfiguredMirrorsReplaceTheDefaults()
    {
        // Bound as the host binds it: the binder appends array items to an array's initial values,
        // so the defaults must not be those initial values.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Mnist:Mirrors:0"] = "http://127.0.0.1:9/mnist/" })
            .Build();
        var options = new MnistOptions();
        configuration.GetSection(MnistOptions.SectionName).Bind(options);
        Assert.Equal(["http://127.0.0.1:9/mnist/"], options.EffectiveMirrors);
    }

    [Fact]
    public void WithoutConfiguredMirrorsTheDefaultsAreUsed()
    {
        var options = new MnistOptions();
        new ConfigurationBuilder().Build().GetSection(MnistOptions.SectionName).Bind(options);
        Assert.Equal(MnistOptions.DefaultMirrors, options.EffectiveMirrors);
    }
}
