using GreenTrain.ServiceDefaults.Cli;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Cli;

namespace GreenTrain.Trainer.Tests.Methods.MixtureOfExperts;

public sealed class MoeSpecValidationTests
{
    private const string Gpt = """ "kind": "gpt", "width": 32, "depth": 2 """;

    [Theory]
    [InlineData($$"""{ {{Gpt}}, "moe": { "experts": 1 } }""", "$.model.moe.experts", "*between 2 and*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "experts": 4, "topK": 5 } }""", "$.model.moe.topK", "*between 1 and experts (4)*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "topK": 0 } }""", "$.model.moe.topK", "*between 1*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "capacityFactor": 0 } }""", "$.model.moe.capacityFactor", "*> 0*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "loadBalanceAlpha": -0.1 } }""", "$.model.moe.loadBalanceAlpha", "*between 0 and 10*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "everyNthBlock": 3 } }""", "$.model.moe.everyNthBlock", "*model.depth (2)*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "exprts": 4 } }""", "$.model.moe.exprts", "*not a known field*")]
    [InlineData($$"""{ {{Gpt}}, "moe": { "dispatch": "sparse" } }""", "$.model.moe.dispatch", "*padded*grouped*")]
    [InlineData("""{ "kind": "mlp", "moe": { } }""", "$.model.moe", "*needs the gpt model*")]
    public void A_bad_moe_field_is_reported_by_its_json_path(string model, string path, string message)
    {
        var result = ExperimentSpecJson.Parse($$"""{ "dataset": { "kind": "{{(model.Contains("gpt") ? "text" : "digits")}}", "path": "/tmp/corpus.txt" }, "model": {{model}} }""");

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle(e => e.Path == path).Which.Message.Should().Match(message);
    }

    [Fact]
    public void A_good_moe_spec_binds_with_its_defaults_and_a_dense_spec_keeps_its_hash()
    {
        var result = ExperimentSpecJson.Parse($$"""{ "dataset": { "kind": "text", "path": "/tmp/corpus.txt" }, "model": { {{Gpt}}, "moe": { "experts": 8, "topK": 2 } } }""");

        result.Errors.Should().BeEmpty();
        result.Spec!.Model.Moe.Should().Be(new MoeSpec { Experts = 8, TopK = 2, CapacityFactor = 1.25, LoadBalanceAlpha = 0.01, RouterZLossCoef = 0.001, EveryNthBlock = 1 });
        ExperimentSpecJson.Serialize(new ExperimentSpec()).Should().NotContain("moe", "specs without experts hash as before, so their checkpoints still resume");
    }

    [Fact]
    public void The_cli_exits_2_naming_the_bad_moe_field()
    {
        var folder = Directory.CreateTempSubdirectory("moe-cli-");
        var config = Path.Combine(folder.FullName, "moe.json");
        File.WriteAllText(config, $$"""{ "dataset": { "kind": "text", "path": "/tmp/corpus.txt" }, "model": { {{Gpt}}, "moe": { "experts": 4, "topK": 3, "capacityFactor": -1 } } }""");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = CliApp.Run(TrainerCommandLine.Create(_ => throw new InvalidOperationException("train must not start the web service")),
            ["train", "--config", config, "--out", Path.Combine(folder.FullName, "out")], output, error);
        folder.Delete(recursive: true);

        exit.Should().Be(2);
        error.ToString().Should().Contain("$.model.moe.capacityFactor").And.NotContain("$.model.moe.topK", "3 of 4 experts is allowed");
    }
}
