using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.Trainer.Methods;

namespace GreenTrain.Trainer.Tests.Contracts;

public sealed class MethodSpecJsonTests
{
    [Fact]
    public void Methods_bind_by_kind_with_their_defaults_and_write_back_the_same()
    {
        var result = ExperimentSpecJson.Parse("""
            { "training": { "methods": [
                { "finalSparsity": 0.9, "kind": "magnitude-pruning", "scope": "layer" },
                { "kind": "quantization-aware", "delayFraction": 0.5 } ] } }
            """);

        result.Errors.Should().BeEmpty();
        var methods = result.Spec!.Training.Methods!;
        methods[0].Should().Be(new MagnitudePruningSpec { FinalSparsity = 0.9, Scope = PruningScope.Layer });
        methods[1].Should().Be(new QuantizationAwareSpec { DelayFraction = 0.5 });
        var again = ExperimentSpecJson.Parse(ExperimentSpecJson.Serialize(result.Spec)).Spec!;
        again.Training.Methods.Should().Equal(methods);
        ExperimentSpecJson.Hash(again).Should().Be(ExperimentSpecJson.Hash(result.Spec));
    }

    [Fact]
    public void Quantization_aware_training_takes_its_bit_widths_from_bits_and_activation_bits_and_defaults_to_int8()
    {
        var result = ExperimentSpecJson.Parse("""
            { "training": { "methods": [ { "kind": "quantization-aware", "bits": 4 } ] } }
            """);

        result.Errors.Should().BeEmpty();
        result.Spec!.Training.Methods!.Single().Should().Be(new QuantizationAwareSpec { Bits = 4, ActivationBits = 8 });
        new QuantizationAwareSpec().Should().Match<QuantizationAwareSpec>(s => s.Bits == 8 && s.ActivationBits == 8);
    }

    [Fact]
    public void A_spec_without_methods_keeps_its_hash_so_existing_checkpoints_still_resume()
    {
        ExperimentSpecJson.Serialize(new ExperimentSpec()).Should().NotContain("methods");
    }

    [Theory]
    [InlineData("""{ "kind": "lottery-ticket" }""", "$.training.methods[0].kind", "*not a known method*magnitude-pruning*")]
    [InlineData("""{ "finalSparsity": 0.5 }""", "$.training.methods[0].kind", "*required*")]
    [InlineData("""{ "kind": "magnitude-pruning", "finalSparsty": 0.5 }""", "$.training.methods[0].finalSparsty", "*not a known field*")]
    [InlineData("""{ "kind": "magnitude-pruning", "finalSparsity": 1.5 }""", "$.training.methods[0].finalSparsity", "*between 0 and 0.99*")]
    [InlineData("""{ "kind": "magnitude-pruning", "scope": "everywhere" }""", "$.training.methods[0].scope", "*one of global, layer*")]
    [InlineData("""{ "kind": "structured-sparsity", "keep": 4 }""", "$.training.methods[0].keep", "*less than groupSize*")]
    [InlineData("""{ "kind": "quantization-aware", "delayFraction": 1 }""", "$.training.methods[0].delayFraction", "*< 1*")]
    [InlineData("""{ "kind": "quantization-aware", "delayFraction": 0.5, "freezeRangesFraction": 0.4 }""", "$.training.methods[0].freezeRangesFraction", "*> delayFraction*")]
    [InlineData("""{ "kind": "quantization-aware", "bits": 1 }""", "$.training.methods[0].bits", "*from 2 to 8*")]
    [InlineData("""{ "kind": "quantization-aware", "bits": 9 }""", "$.training.methods[0].bits", "*from 2 to 8*")]
    [InlineData("""{ "kind": "quantization-aware", "activationBits": 1 }""", "$.training.methods[0].activationBits", "*from 2 to 8*")]
    [InlineData("""{ "kind": "quantization-aware", "activationBits": 9 }""", "$.training.methods[0].activationBits", "*from 2 to 8*")]
    public void A_bad_method_entry_is_reported_by_its_json_path(string entry, string path, string message)
    {
        var result = ExperimentSpecJson.Parse($$"""{ "training": { "methods": [ {{entry}} ] } }""");

        result.IsValid.Should().BeFalse();
        result.Errors.Should().ContainSingle(e => e.Path == path).Which.Message.Should().Match(message);
    }

    [Theory]
    [InlineData("magnitude-pruning")]
    [InlineData("structured-sparsity")]
    [InlineData("quantization-aware")]
    public void A_weight_method_beside_model_moe_is_refused_because_it_would_leave_the_experts_untouched(string kind)
    {
        var moeGpt = """ "dataset": { "kind": "text", "path": "corpus.txt" }, "model": { "kind": "gpt", "width": 32, "heads": 4, "moe": { "experts": 4 } } """;

        var refused = ExperimentSpecJson.Parse($$"""{ {{moeGpt}}, "training": { "methods": [ { "kind": "{{kind}}" } ] } }""");
        var dense = ExperimentSpecJson.Parse($$"""{ "dataset": { "kind": "text", "path": "corpus.txt" }, "model": { "kind": "gpt", "width": 32, "heads": 4 }, "training": { "methods": [ { "kind": "{{kind}}" } ] } }""");
        var distilled = ExperimentSpecJson.Parse($$"""{ {{moeGpt}}, "training": { "methods": [ { "kind": "distillation", "teacher": { "modelFile": "teacher" } } ] } }""");

        refused.Errors.Should().ContainSingle(e => e.Path == "$.training.methods[0].kind").Which.Message.Should().Match($"{kind} cannot be combined with model.moe*");
        dense.Errors.Should().BeEmpty();
        distilled.Errors.Should().BeEmpty();
    }

    [Fact]
    public void A_method_listed_twice_is_refused_because_it_owns_one_checkpoint_section()
    {
        var result = ExperimentSpecJson.Parse("""{ "training": { "methods": [ { "kind": "magnitude-pruning" }, { "kind": "magnitude-pruning" } ] } }""");

        result.Errors.Should().ContainSingle(e => e.Path == "$.training.methods[1].kind");
    }

    [Fact]
    public void Every_kind_the_spec_accepts_has_a_trainer_class_that_applies_it()
    {
        TrainingMethodRegistry.Registered.Should().BeEquivalentTo(MethodSpecRegistry.Kinds.Values);
    }
}
