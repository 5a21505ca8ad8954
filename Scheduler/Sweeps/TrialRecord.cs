using System.Text.Json.Nodes;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>One segment as the report lists it: how far the trial had trained, what it scored there, what it cost.</summary>
public sealed record SegmentRecord(int Bracket, int Rung, int Resource, double? Accuracy, double? Loss, double Joules, double GramsCo2, bool Reused);

/// <summary>Everything one configuration's trial did in the sweep.</summary>
public sealed class TrialRecord(string trialId, Configuration configuration, IReadOnlyDictionary<string, JsonNode?> values)
{
    public string TrialId { get; set; } = trialId;

    public Configuration Configuration { get; } = configuration;

    /// <summary>The configuration's value of each varied field, by its JSON path.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Values { get; } = values;

    public List<SegmentRecord> Segments { get; } = [];

    /// <summary>The resource its checkpoint has reached (0: none yet).</summary>
    public int Reached { get; set; }

    public long StepsTrained { get; set; }

    /// <summary>Resource units (steps or epochs) its segments trained, restarts included: what its energy paid for.</summary>
    public int ResourceTrained { get; set; }

    public double? TestAccuracy { get; set; }

    public string? Failure { get; set; }

    public string EnergyMethod { get; set; } = "none";

    public double Joules => Segments.Sum(s => s.Joules);

    public double GramsCo2 => Segments.Sum(s => s.GramsCo2);

    /// <summary>The segment that ended at the furthest resource: the trial's result.</summary>
    public SegmentRecord? Last => Segments.Where(s => !s.Reused).MaxBy(s => s.Resource) ?? Segments.LastOrDefault();
}
