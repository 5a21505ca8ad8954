using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Examples;

/// <summary>
/// The configurations README and Trainer/README.md tell a user to run: each is a valid spec, and the data set it
/// names is there once the test command's packages are installed (dataset-fashion-mnist, fortunes).
/// </summary>
public sealed class ExampleConfigTests
{
    public static TheoryData<string> Examples() => new(Directory.GetFiles(ExamplesFolder(), "*.json").Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_example_is_a_valid_spec_whose_data_set_opens(string file)
    {
        var parsed = ExperimentSpecJson.Parse(File.ReadAllText(Path.Combine(ExamplesFolder(), file)));

        parsed.Errors.Should().BeEmpty();
        using var data = DataSetFactory.Open(parsed.Spec!, CPU);
        data.Train.Count.Should().BePositive();
        data.Test.Count.Should().BePositive();
    }

    [Fact]
    public void The_examples_cover_every_data_set_kind()
    {
        Directory.GetFiles(ExamplesFolder(), "*.json")
            .Select(path => ExperimentSpecJson.Parse(File.ReadAllText(path)).Spec!.Dataset.Kind).Distinct()
            .Should().BeEquivalentTo(Enum.GetValues<DatasetKind>(), "every data set kind has an example that this test opens");
    }

    private static string ExamplesFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "GreenTrain.Aspire.sln"))) folder = folder.Parent;
        return Path.Combine(folder?.FullName ?? throw new DirectoryNotFoundException("repository root"), "Trainer", "examples");
    }
}
