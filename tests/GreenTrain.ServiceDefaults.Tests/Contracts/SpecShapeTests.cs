using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Tests.Contracts;

/// <summary>A spec with values of the wrong type is told every bad field at once, and names stay printable.</summary>
public class SpecShapeTests
{
    [Fact]
    public void A_value_of_the_wrong_type_does_not_hide_the_other_errors()
    {
        var result = ExperimentSpecJson.Parse("""
            {"name":"", "model":{"width":"wide","depth":0}, "training":{"batchSize":0,"precision":"fp8"},
             "carbon":{"pausable":"yes","allowedRegions":[1]}}
            """);

        result.Spec.Should().BeNull();
        result.Errors.Select(e => e.Path).Should().BeEquivalentTo(
            "$.name", "$.model.width", "$.model.depth", "$.training.batchSize", "$.training.precision", "$.carbon.pausable", "$.carbon.allowedRegions");
        result.Errors.Should().Contain(e => e.ToString() == "$.model.width: must be a whole number");
        result.Errors.Should().Contain(e => e.ToString() == "$.training.precision: must be one of fp32, bf16, fp16");
    }

    [Theory]
    [InlineData("""{"training":{"batchSize":"64"}}""", "$.training.batchSize")]
    [InlineData("""{"model":{"dropout":"0.1"}}""", "$.model.dropout")]
    [InlineData("""{"training":{"steps":"100"}}""", "$.training.steps")]
    public void A_number_written_as_a_string_is_refused(string json, string path)
    {
        var result = ExperimentSpecJson.Parse(json);

        result.IsValid.Should().BeFalse();
        result.Errors.Select(e => e.Path).Should().Equal(path);
    }

    [Theory]
    [InlineData("{\"name\":\"a\\u0000b\"}", "$.name")]
    [InlineData("{\"name\":\"line\\nbreak\"}", "$.name")]
    [InlineData("{\"name\":\"bell\\u0007\"}", "$.name")]
    [InlineData("{\"carbon\":{\"allowedRegions\":[\"D\\u001bE\"]}}", "$.carbon.allowedRegions[0]")]
    public void Control_characters_in_names_and_regions_are_refused(string json, string path)
    {
        var result = ExperimentSpecJson.Parse(json);

        result.Errors.Should().ContainSingle(e => e.Path == path).Which.Message.Should().Contain("control characters");
    }
}
