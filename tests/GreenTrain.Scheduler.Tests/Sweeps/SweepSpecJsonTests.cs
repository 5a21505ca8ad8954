using GreenTrain.Scheduler.Sweeps;

namespace GreenTrain.Scheduler.Tests.Sweeps;

public class SweepSpecJsonTests
{
    private const string Base = """{ "name": "b", "dataset": { "kind": "digits" }, "model": { "kind": "mlp", "width": 64 }, "training": { "steps": 10 } }""";

    private static SweepParseResult Parse(string space, string extra = "") =>
        SweepSpecJson.Parse($$"""{ "name": "s", "base": {{Base}}, "space": [{{space}}] {{extra}} }""", null);

    [Fact]
    public void The_shipped_example_is_valid_and_reads_its_base_spec_file()
    {
        var file = Path.Combine(TestData.RepositoryRoot, "Scheduler", "Data", "sweeps", "digits-asha.json");
        var parsed = SweepSpecJson.Parse(File.ReadAllText(file), Path.GetDirectoryName(file));

        parsed.Errors.Should().BeEmpty();
        parsed.Spec!.Algorithm.Kind.Should().Be(AlgorithmKind.Asha);
        new SearchSpace(parsed.Spec.Space).GridSize.Should().Be(27);
    }

    [Fact]
    public void A_value_that_makes_the_trial_spec_invalid_is_named_by_its_place_in_the_space()
    {
        var parsed = Parse("""{ "path": "$.model.width", "kind": "choice", "values": [64, 0] }""");

        parsed.IsValid.Should().BeFalse();
        parsed.Errors.Should().ContainSingle().Which.Path.Should().Be("$.space[0].values[1]");
        parsed.Errors[0].Message.Should().Contain("$.model.width");
    }

    [Theory]
    [InlineData("""{ "path": "model.width", "kind": "choice", "values": [1] }""", "$.space[0].path")]
    [InlineData("""{ "path": "$.training.optimizer.learningRate", "kind": "logUniform", "min": 0, "max": 0.1 }""", "$.space[0].min")]
    [InlineData("""{ "path": "$.training.optimizer.learningRate", "kind": "uniform", "min": 0.1, "max": 0.01 }""", "$.space[0].max")]
    [InlineData("""{ "path": "$.model.width", "kind": "choise", "values": [1] }""", "$.space[0].kind")]
    [InlineData("""{ "path": "$.model.width", "values": [64], "step": 2 }""", "$.space[0].step")]
    [InlineData("""{ "path": "$.model.widht", "values": [64] }""", "$.space[0].values[0]")]
    public void Each_bad_field_is_reported_by_its_json_path(string dimension, string path)
    {
        Parse(dimension).Errors.Select(e => e.Path).Should().Contain(path);
    }

    [Theory]
    [InlineData(""", "algorithm": { "kind": "asha", "eta": 1 }""", "$.algorithm.eta")]
    [InlineData(""", "algorithm": { "kind": "bayes" }""", "$.algorithm.kind")]
    [InlineData(""", "resource": { "min": 100, "max": 10 }""", "$.resource.max")]
    [InlineData(""", "resource": { "min": 10, "max": 90, "rungEvalBatches": 0 }""", "$.resource.rungEvalBatches")]
    [InlineData(""", "resource": { "min": 10, "max": 90, "rungEvalBatches": 1.5 }""", "$.resource.rungEvalBatches")]
    [InlineData(""", "budget": { "kwh": -1 }""", "$.budget.kwh")]
    [InlineData(""", "deadline": "tomorrow" """, "$.deadline")]
    [InlineData(""", "metric": { "name": "f1" }""", "$.metric.name")]
    public void Bad_settings_are_reported_by_their_json_path(string extra, string path)
    {
        Parse("""{ "path": "$.model.width", "values": [64] }""", extra).Errors.Select(e => e.Path).Should().Contain(path);
    }

    [Fact]
    public void Rung_eval_batches_are_read_from_the_resource_and_left_unset_by_default()
    {
        Parse("""{ "path": "$.model.width", "values": [64] }""", """, "resource": { "min": 10, "max": 90, "rungEvalBatches": 1 }""")
            .Spec!.Resource.Should().Be(new ResourceSpec(ResourceUnit.Steps, 10, 90, RungEvalBatches: 1));
        Parse("""{ "path": "$.model.width", "values": [64] }""").Spec!.Resource.RungEvalBatches.Should().BeNull();
    }

    [Fact]
    public void A_bad_field_of_the_base_spec_is_named_under_base()
    {
        var parsed = SweepSpecJson.Parse("""{ "base": { "name": "b", "training": { "batchSize": 0 } }, "space": [{ "path": "$.model.width", "values": [64] }] }""", null);

        parsed.Errors.Select(e => e.Path).Should().Contain("$.base.training.batchSize");
    }

    [Fact]
    public void A_base_file_is_refused_where_no_folder_is_given()
    {
        SweepSpecJson.Parse("""{ "baseFile": "x.json", "space": [{ "path": "$.model.width", "values": [64] }] }""", null)
            .Errors.Should().Contain(e => e.Path == "$.baseFile");
    }
}
