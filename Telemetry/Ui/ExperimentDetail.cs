using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Ui;

/// <summary>
/// Everything one experiment's page shows: its row, its evaluations over steps, its power and the grid's intensity
/// over wall time with what was planned and what happened, every plan made for it, its report, and the links to its files.
/// </summary>
public sealed record ExperimentDetail(
    ExperimentRow Summary,
    JsonElement? Spec,
    IReadOnlyList<EvaluationPoint> Evaluations,
    IReadOnlyList<PowerSpan> Power,
    IReadOnlyList<IntensitySpan> Intensity,
    string? IntensitySource,
    IReadOnlyList<ActualInterval> Actual,
    IReadOnlyList<PlanSnapshot> Plans,
    IReadOnlyList<string> Methods,
    EmissionsReport? Report,
    ExperimentLinks Links);

/// <summary>One evaluation: the step, the training loss since the last one, the validation loss and accuracy.</summary>
public sealed record EvaluationPoint(long Step, double? TrainLoss, double Loss, double? Accuracy);

/// <summary>The grid's intensity from Start until End, in gCO2eq/kWh.</summary>
public sealed record IntensitySpan(DateTimeOffset Start, DateTimeOffset End, double GramsPerKwh);

/// <summary>The experiment's files; null where there is none yet (no windows: no report; no checkpoint: no model).</summary>
public sealed record ExperimentLinks(string? Report, string? EmissionsCsv, string? ModelCard, string? Label, string? Model);

/// <summary>Reads the stored evaluations and the training methods a spec asks for.</summary>
public static class ExperimentFacts
{
    /// <summary>The evaluations, one per step (a resume repeats steps after its checkpoint: the later entry counts).</summary>
    public static IReadOnlyList<EvaluationPoint> Evaluations(IEnumerable<string> json)
    {
        var byStep = new SortedDictionary<long, EvaluationPoint>();
        foreach (var entry in json)
        {
            try
            {
                if (JsonSerializer.Deserialize<EvaluationPoint>(entry, JsonSerializerOptions.Web) is { } point)
                {
                    byStep[point.Step] = point;
                }
            }
            catch (JsonException)
            {
                // A damaged entry leaves a gap in the chart, nothing more.
            }
        }
        return byStep.Values.ToList();
    }

    /// <summary>The methods the spec turns on that change what training costs, in words.</summary>
    public static IReadOnlyList<string> Methods(ExperimentSpec? spec)
    {
        if (spec is null)
        {
            return [];
        }
        var t = spec.Training;
        var methods = new List<string>();
        methods.Add(t.Precision switch
        {
            PrecisionKind.Bf16 => "bf16 mixed precision",
            PrecisionKind.Fp16 => "fp16 mixed precision with loss scaling",
            _ => "fp32 (no mixed precision)",
        });
        if (t.AllowTf32)
        {
            methods.Add("TF32 matrix multiplies");
        }
        if (t.AccumulationSteps > 1)
        {
            methods.Add($"gradient accumulation over {t.AccumulationSteps} micro-batches");
        }
        if (t.Target is { } target)
        {
            methods.Add($"stop at {JsonNamingPolicy.CamelCase.ConvertName(target.Metric.ToString())} {target.Value}");
        }
        if (t.EarlyStopping is { } early)
        {
            methods.Add($"early stopping on {JsonNamingPolicy.CamelCase.ConvertName(early.Metric.ToString())} (patience {early.Patience})");
        }
        return methods;
    }
}
