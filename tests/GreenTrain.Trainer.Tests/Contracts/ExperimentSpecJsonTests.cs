using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Tests.Contracts;

public sealed class ExperimentSpecJsonTests
{
    [Fact]
    public void An_empty_document_gives_the_working_defaults()
    {
        var result = ExperimentSpecJson.Parse("{}");

        result.Errors.Should().BeEmpty();
        result.Spec.Should().Be(new ExperimentSpec() with { Carbon = result.Spec!.Carbon });
        result.Spec.Dataset.Kind.Should().Be(DatasetKind.Digits);
    }

    [Fact]
    public void Enums_are_written_as_their_documented_names_and_read_back()
    {
        var spec = new ExperimentSpec
        {
            Dataset = new DatasetSpec { Kind = DatasetKind.FashionMnist },
            Model = new ModelSpec { Kind = ModelKind.ResNet },
            Training = new TrainingSpec { Precision = PrecisionKind.Bf16, Optimizer = new OptimizerSpec { Kind = OptimizerKind.AdamW } },
        };

        var json = ExperimentSpecJson.Serialize(spec);

        json.Should().Contain("\"kind\": \"fashion-mnist\"").And.Contain("\"kind\": \"resnet\"")
            .And.Contain("\"precision\": \"bf16\"").And.Contain("\"kind\": \"adamw\"").And.Contain("\"batchSize\": 64");
        var back = ExperimentSpecJson.Parse(json).Spec!;
        back.Model.Should().Be(spec.Model);
        back.Training.Precision.Should().Be(PrecisionKind.Bf16);
    }

    [Fact]
    public void Every_bad_field_is_reported_by_its_json_path()
    {
        const string json = """
        {
          "name": "",
          "dataset": { "kind": "text", "validationFraction": 0.9 },
          "model": { "kind": "gpt", "width": 100, "heads": 3 },
          "training": { "epochs": 2, "steps": 10, "batchSize": 0, "accumulationSteps": 0,
                        "optimizer": { "learningRate": -1 }, "target": { "metric": "accuracy", "value": 0.9 } },
          "checkpoint": { "keepLast": 0 },
          "carbon": { "allowedRegions": ["", "GB"] }
        }
        """;

        var result = ExperimentSpecJson.Parse(json);

        result.IsValid.Should().BeFalse();
        result.Errors.Select(e => e.Path).Should().BeEquivalentTo(
            "$.name", "$.dataset.path", "$.dataset.validationFraction", "$.model.heads", "$.training",
            "$.training.batchSize", "$.training.accumulationSteps", "$.training.optimizer.learningRate",
            "$.training.target.metric", "$.checkpoint.keepLast", "$.carbon.allowedRegions[0]");
        result.Errors.Should().Contain(e => e.ToString() == "$.training.batchSize: must be between 1 and 65536");
    }

    [Fact]
    public void A_misspelt_field_is_an_error_rather_than_a_silent_default()
    {
        var result = ExperimentSpecJson.Parse("""{ "training": { "batchsize": 32, "learningRate": 0.1 } }""");

        result.Errors.Select(e => e.ToString()).Should().Equal("$.training.learningRate: is not a known field");
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_its_path()
    {
        var result = ExperimentSpecJson.Parse("""{ "training": { "precision": "fp8" } }""");

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle().Which.Path.Should().Be("$.training.precision");
    }

    [Fact]
    public void The_hash_changes_with_any_setting_and_not_otherwise()
    {
        var spec = new ExperimentSpec();

        ExperimentSpecJson.Hash(spec).Should().Be(ExperimentSpecJson.Hash(new ExperimentSpec()));
        ExperimentSpecJson.Hash(spec with { Training = spec.Training with { Seed = 2 } }).Should().NotBe(ExperimentSpecJson.Hash(spec));
    }
}
