using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Telemetry.Intensity;
using GreenTrain.Telemetry.Reports;

namespace GreenTrain.Telemetry.Ui;

/// <summary>Builds one experiment's page from the store: its record, progress, evaluations, plans, windows and report.</summary>
public sealed class ExperimentDetails(GreenTrainStore store, ExperimentDirectory directory, ExperimentReports reports, IIntensitySource intensity)
{
    /// <summary>The intensity chart reaches this share of the run's span (with its plans) either side, so the grid around it shows.</summary>
    public const double MarginShare = 0.1;

    /// <summary>The page's data, or null when the store knows nothing of the experiment.</summary>
    public async Task<ExperimentDetail?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (await directory.GetAsync(id) is not { } sources)
        {
            return null;
        }
        var shared = new ExperimentStore(store);
        var built = await reports.BuildAsync(id, cancellationToken);
        var windows = built?.Windows ?? [];
        var plans = await PlansAsync(shared, sources.Record, id);
        var run = (await reports.LoadAsync(id)).Run;
        var region = run?.Region ?? sources.Progress?.Region ?? sources.Record?.Region;
        var (spans, source) = await IntensityAsync(region, windows, plans, cancellationToken);
        var checkpoint = await ModelFile.NewestCheckpointAsync(store, id);
        var hasReport = built is not null;
        string Link(string file) => $"/experiments/{Uri.EscapeDataString(id)}/{file}";
        return new ExperimentDetail(
            ExperimentRow.From(sources, built?.Report),
            sources.Record?.Spec is { } spec ? JsonSerializer.SerializeToElement(spec, ExperimentSpecJson.Options) : null,
            ExperimentFacts.Evaluations(await shared.ReadEvaluationsAsync(id)),
            RunTimeline.Power(windows),
            spans,
            source,
            RunTimeline.Intervals(windows, plans, region),
            plans,
            ExperimentFacts.Methods(sources.Record?.Spec),
            built?.Report,
            new ExperimentLinks(hasReport ? Link("report") : null, hasReport ? Link("emissions.csv") : null,
                hasReport ? Link("model-card.yaml") : null, hasReport ? Link("label.svg") : null, checkpoint is null ? null : Link("model")));
    }

    /// <summary>The plan history; for records from before it was kept, the first and the current plan from the record.</summary>
    private static async Task<IReadOnlyList<PlanSnapshot>> PlansAsync(ExperimentStore shared, SchedulerRecord? record, string id)
    {
        var plans = await shared.ReadPlansAsync(id);
        if (plans.Count > 0 || record is null)
        {
            return plans;
        }
        var from = new[] { (record.FirstPlan, record.SubmittedAt), (record.Plan, record.PlannedAt ?? record.UpdatedAt) };
        return from.Where(p => p.Item1 is not null)
            .Select(p => new PlanSnapshot(p.Item2, p.Item1!.Intervals, p.Item1.ExpectedGrams, p.Item1.RunNowGrams, p.Item1.MeetsDeadline,
                p.Item1.Pauses, p.Item1.Migrations, p.Item1.Reason))
            .DistinctBy(p => string.Join(';', p.Intervals)).ToList();
    }

    private async Task<(IReadOnlyList<IntensitySpan>, string?)> IntensityAsync(
        string? region, IReadOnlyList<EnergyWindow> windows, IReadOnlyList<PlanSnapshot> plans, CancellationToken cancellationToken)
    {
        var times = windows.SelectMany(w => new[] { w.Start, w.End })
            .Concat((plans.Count > 0 ? plans[^1].Intervals : []).SelectMany(i => new[] { i.Start, i.End })).ToList(); // what ran and what is planned now
        if (region is null || times.Count == 0)
        {
            return ([], null);
        }
        var margin = (times.Max() - times.Min()) * MarginShare;
        var (from, to) = (times.Min() - margin, times.Max() + margin);
        if (await intensity.GetSeriesAsync(region, from, to, cancellationToken) is not { } series)
        {
            return ([], null);
        }
        var spans = series.Slice(from, to).Intervals.Select(i => new IntensitySpan(i.Start, i.End, i.GramsPerKWh)).ToList();
        return (spans, series.Source);
    }
}
