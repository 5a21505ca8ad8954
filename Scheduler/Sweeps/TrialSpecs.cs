using System.Text.Json.Nodes;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>The experiment spec of one trial: the base with the configuration's values set by path, trained for the full resource.</summary>
public static class TrialSpecs
{
    /// <summary>The trial's spec, or every problem with it by JSON path (relative to the base spec).</summary>
    public static SpecParseResult Build(SweepSpec sweep, Configuration configuration)
    {
        var document = (JsonObject)sweep.Base.DeepClone();
        var errors = new List<SpecError>();
        for (var d = 0; d < sweep.Space.Count; d++)
        {
            if (JsonPathPatch.Set(document, sweep.Space[d].Path, configuration.Values[d]) is { } problem)
            {
                errors.Add(new SpecError(sweep.Space[d].Path, problem));
            }
        }
        if (errors.Count > 0) return new SpecParseResult(null, errors);

        // Every segment trains toward the same horizon, so the learning-rate schedule of a promoted trial is the one a
        // full trial follows; a rung stops it part of the way.
        var training = (document["training"] ??= new JsonObject()).AsObject();
        training.Remove("steps");
        training.Remove("epochs");
        training[sweep.Resource.Unit == ResourceUnit.Steps ? "steps" : "epochs"] = sweep.Resource.Max;
        document["name"] = $"{sweep.Name}-c{configuration.Id}";
        return ExperimentSpecJson.Parse(document.ToJsonString());
    }
}
