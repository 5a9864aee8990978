using System.CommandLine;
using LipService.Api.Cli;
using LipService.Api.Contracts;
using LipService.Api.Jobs;
using LipService.Api.Sweeps;
using LipService.Training.Specs;

namespace LipService.Api.Tests.Cli;

/// <summary>The spec's fields are declared once (JobSpecRequest) and the shell options and sweep axes follow from them.</summary>
public class SpecFieldTests
{
    [Fact]
    public void EverySettableFieldOfTheSpecIsARequestFieldAndAnOption()
    {
        // positiveClass and negativeClass are the binary spelling of classes, kept for the notebook's users.
        string[] aliases = [nameof(JobSpecRequest.PositiveClass), nameof(JobSpecRequest.NegativeClass)];
        // An uploaded dataset sets these when a job is submitted: they are its, not the request's.
        string[] fromTheDataset = [nameof(TrainingSpec.Input), nameof(TrainingSpec.ClassNames)];
        var specFields = typeof(TrainingSpec).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).Except(fromTheDataset).Concat(aliases).Order();
        Assert.Equal(specFields, SpecField.All.Select(f => f.Property.Name).Order());
        var options = new TrainingOptions().All.Select(o => o.Name).ToHashSet();
        Assert.All(SpecField.All, f => Assert.Contains(f.OptionName, options));
        Assert.All(SpecField.All, f => Assert.False(string.IsNullOrWhiteSpace(f.Description), $"{f.Name} has no description"));
    }

    [Fact]
    public void TheDeclaredFieldsAndSweepAxesAreTheRequestsPropertiesInOrder()
    {
        // SpecField and SweepPlanner declare them by hand (no reflection sets a property): a new property must be listed there.
        Assert.Equal(typeof(JobSpecRequest).GetProperties().OrderBy(p => p.MetadataToken).Select(p => p.Name), SpecField.All.Select(f => f.Property.Name));
        Assert.Equal(
            typeof(SweepRequest).GetProperties().Where(p => p.PropertyType.IsArray).OrderBy(p => p.MetadataToken).Select(p => p.Name),
            SweepPlanner.Axes.Select(a => a.Field.Property.Name));
        var request = new SweepRequest { Loss = ["hkr"], Alpha = [1], MinMargin = [1], Tau = [1], Channels = [[1]], Hidden = [[1]], Activation = ["relu"], LearningRate = [1], Seed = [1] };
        Assert.All(SweepPlanner.Axes, a => Assert.NotNull(a.Values(request)));
    }

    [Fact]
    public void EachFieldSetsItsOwnRequestProperty()
    {
        foreach (var field in SpecField.All)
        {
            string text = field.ValueType == typeof(string) ? "x" : field.ValueType == typeof(int[]) ? "3,4" : "3";
            Assert.True(field.TryParse(text, out object? value, out _));
            var request = field.With(new JobSpecRequest(), value);
            Assert.Equal(value, field.Property.GetValue(request));
            Assert.All(SpecField.All.Where(f => f != field), other => Assert.Null(other.Property.GetValue(request)));
        }
    }

    [Fact]
    public void TheShellReadsASpecExactlyAsTheHttpBodyWithTheSameFields()
    {
        var options = new TrainingOptions();
        var train = new Command("train");
        foreach (var option in options.All) train.Options.Add(option);
        var parsed = train.Parse(["--alpha", "2.5", "--hidden", "64,32", "--learning-rate", "0.01", "--activation", "fullsort", "--negative-class", "3"]);
        Assert.Empty(parsed.Errors);

        var body = new JobSpecRequest { Alpha = 2.5, Hidden = [64, 32], LearningRate = 0.01, Activation = "fullsort", NegativeClass = 3 };
        var (expected, bodyErrors) = body.Resolve(defaultSeed: 42);
        Assert.Empty(bodyErrors);
        var (actual, errors) = options.ToSpec(parsed);
        Assert.Empty(errors);
        // Lists compare by reference in records: compare them apart.
        IReadOnlyList<int> none = [];
        Assert.Equal(expected with { Hidden = none, Classes = none, Channels = none }, actual with { Hidden = none, Classes = none, Channels = none });
        Assert.Equal(expected.Hidden, actual.Hidden);
        Assert.Equal([0, 3], actual.Classes);
        Assert.Equal(expected.Channels, actual.Channels);
    }

    [Fact]
    public void ValidationErrorsNameTheOptionOfTheirField()
    {
        Assert.Equal("--min-margin", TrainingOptions.OptionName("minMargin"));
        Assert.Equal("--batch-size", TrainingOptions.OptionName("batchSize"));
    }

    [Fact]
    public void SweepAxesTurnLikeNestedLoopsInTheRequestsOrder()
    {
        var (specs, errors) = SweepPlanner.Expand(new SweepRequest { Alpha = [1, 2], Seed = [7, 8] }, () => 99);
        Assert.Null(errors);
        Assert.Equal([(1.0, 7), (1.0, 8), (2.0, 7), (2.0, 8)], specs.Select(s => (s.Alpha, s.Seed)));
        // Without a seed axis or a base seed, the whole sweep shares one random seed.
        var (shared, _) = SweepPlanner.Expand(new SweepRequest { Alpha = [1, 2] }, () => 99);
        Assert.All(shared, s => Assert.Equal(99, s.Seed));
    }
}
