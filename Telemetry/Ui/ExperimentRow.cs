using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Ui;

/// <summary>
/// One line of the experiments table: where the experiment stands and what it has cost. Energy and emissions are
/// measured (from the report on its windows); Saved is measured against running at once when the report can compare,
/// else what the Scheduler's plan expects to save (<see cref="SavedBasis"/> says which).
/// </summary>
public sealed record ExperimentRow(
    string Id,
    string Name,
    string State,
    string? Region,
    double Progress,
    long? Step,
    long? TotalSteps,
    DateTimeOffset? Deadline,
    double? Metric,
    string? MetricName,
    double? EnergyKwh,
    double? EmissionsGrams,
    double? SavedGrams,
    string? SavedBasis,
    DateTimeOffset? UpdatedAt)
{
    public static ExperimentRow From(ExperimentSources sources, EmissionsReport? report)
    {
        var (record, progress) = (sources.Record, sources.Progress);
        // The worker's report is the live truth of a run; the Scheduler's record covers the time before a worker took it.
        var state = progress is { } p ? ExperimentProgressHash.Wire(p.State) : record?.State ?? "unknown";
        var share = progress is { TotalSteps: > 0 } q ? Math.Clamp((double)q.Step / q.TotalSteps, 0, 1) : record?.Progress ?? 0;
        if (progress?.State == ExperimentRunState.Completed)
        {
            share = 1;
        }
        var (saved, basis) = report?.RunAtOnce is { } atOnce ? (atOnce.SavedGrams, "measured")
            : record?.Plan is { } plan ? (plan.RunNowGrams - plan.ExpectedGrams, "planned") : ((double?)null, (string?)null);
        return new ExperimentRow(
            sources.Id,
            record?.Spec?.Name ?? report?.ProjectName ?? sources.Id,
            state,
            progress?.Region ?? record?.Region ?? report?.Region,
            share,
            progress?.Step,
            progress is { TotalSteps: > 0 } t ? t.TotalSteps : null,
            record?.Spec?.Carbon.Deadline,
            progress?.BestMetric ?? record?.BestMetric,
            MetricNameOf(progress?.LastMetricJson),
            report?.EnergyKwh,
            report?.EmissionsGrams,
            saved is { } s ? Math.Round(s, 4) : null,
            basis,
            Newest(progress?.UpdatedAt, record?.UpdatedAt));
    }

    /// <summary>Accuracy when the evaluations report one (classification), else loss: the metric the Trainer calls best.</summary>
    public static string? MetricNameOf(string? evaluationJson)
    {
        if (string.IsNullOrEmpty(evaluationJson))
        {
            return null;
        }
        try
        {
            // An evaluation while training, or at completion {"final": evaluation, "test": evaluation} (ExperimentRunner).
            using var doc = JsonDocument.Parse(evaluationJson);
            var root = doc.RootElement;
            var evaluation = root.TryGetProperty("final", out var final) && final.ValueKind == JsonValueKind.Object ? final : root;
            return evaluation.TryGetProperty("accuracy", out var a) && a.ValueKind == JsonValueKind.Number ? "accuracy" : "loss";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether a larger value of the metric is better (accuracy) or a smaller one (loss).</summary>
    public static bool HigherIsBetter(string? metricName) => metricName != "loss";

    private static DateTimeOffset? Newest(params DateTimeOffset?[] times) => times.Where(t => t is { } v && v != default).Max();
}
