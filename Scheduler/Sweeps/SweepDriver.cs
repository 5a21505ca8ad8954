using GreenTrain.Scheduler.Sweeps.Algorithms;

namespace GreenTrain.Scheduler.Sweeps;

/// <summary>Carbon and facility figures a local sweep counts its emissions with (no intensity series on one machine).</summary>
/// <param name="GramsPerKwh">Grid intensity, g CO2eq/kWh, applied to every segment.</param>
public sealed record EmissionFactors(double GramsPerKwh, double Pue = 1.0, string Source = "constant");

/// <summary>How a sweep ended, with every trial.</summary>
public sealed record SweepOutcome(SweepSpec Spec, IReadOnlyList<TrialRecord> Trials, string StopReason, int Segments, int ReusedSegments, TimeSpan Elapsed);

/// <summary>
/// Runs a sweep one segment at a time: asks the algorithm for the next segment, stops when the budget (kWh, g CO2eq,
/// trials) is spent, trains it through the runner (a promoted trial continues from its checkpoint), and tells the
/// algorithm the score. A segment the trial already ran (Hyperband asks for a configuration again in a later bracket)
/// is answered from the record at no cost.
/// </summary>
public sealed class SweepDriver(SweepSpec spec, ITrialRunner runner, EmissionFactors emissions, Action<string>? progress = null)
{
    private readonly Dictionary<string, TrialRecord> _trials = [];

    public SweepOutcome Run(CancellationToken cancellationToken = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var space = new SearchSpace(spec.Space);
        var algorithm = SweepAlgorithms.Create(spec.Algorithm, space, spec.Resource);
        int segments = 0, reused = 0;
        var stop = "search complete";
        while (true)
        {
            if (cancellationToken.IsCancellationRequested) { stop = "cancelled"; break; }
            if (BudgetSpent() is { } spent) { stop = spent; break; }
            if (algorithm.Next() is not { } request) break;

            var key = request.Configuration.Key(space.Dimensions);
            if (!_trials.ContainsKey(key) && spec.Budget.Trials is { } maxTrials && _trials.Count >= maxTrials)
            {
                stop = $"trial budget spent ({maxTrials} configurations)";
                break;
            }
            var trial = TrialFor(request.Configuration, key);
            if (trial.Segments.FirstOrDefault(s => s.Resource == request.Resource && !s.Reused) is { } done)
            {
                trial.Segments.Add(done with { Bracket = request.Bracket, Rung = request.Rung, Joules = 0, GramsCo2 = 0, Reused = true });
                reused++;
                algorithm.Report(request, Score(done));
                continue;
            }
            segments++;
            var score = RunSegment(trial, request, cancellationToken);
            algorithm.Report(request, score);
        }
        progress?.Invoke($"sweep {spec.Name}: {stop} after {segments} segments ({reused} answered from earlier ones), {Total(t => t.Joules) / 3.6e6:F6} kWh");
        return new SweepOutcome(spec, [.. _trials.Values], stop, segments, reused, clock.Elapsed);
    }

    private double RunSegment(TrialRecord trial, TrialRequest request, CancellationToken cancellationToken)
    {
        var built = TrialSpecs.Build(spec, request.Configuration);
        if (!built.IsValid)
        {
            trial.Failure = string.Join("; ", built.Errors);
            progress?.Invoke($"  {trial.TrialId} [{trial.Configuration.Key(spec.Space)}] is not a valid spec: {trial.Failure}");
            return double.NegativeInfinity;
        }
        // A checkpoint past the requested resource cannot be rewound: that configuration trains again from scratch.
        var restart = trial.Reached > request.Resource;
        if (restart) trial.TrialId += "r";
        var final = request.Resource >= spec.Resource.Max;
        var segment = new TrialSegment(trial.TrialId, built.Spec!, spec.Resource.Unit, request.Resource, restart, final,
            final ? null : spec.Resource.RungEvalBatches, trial.Values);
        var outcome = runner.Run(segment, cancellationToken);
        var grams = outcome.Joules / 3.6e6 * emissions.GramsPerKwh * emissions.Pue;
        var record = new SegmentRecord(request.Bracket, request.Rung, request.Resource, outcome.Accuracy, outcome.Loss, outcome.Joules, grams, false);
        trial.Segments.Add(record);
        trial.ResourceTrained += request.Resource - (restart || !runner.ResumesFromCheckpoint ? 0 : trial.Reached);
        trial.Reached = request.Resource;
        trial.StepsTrained += outcome.StepsTrained;
        trial.TestAccuracy = outcome.TestAccuracy ?? trial.TestAccuracy;
        trial.EnergyMethod = outcome.EnergyMethod;
        progress?.Invoke($"  {trial.TrialId} bracket {request.Bracket} rung {request.Rung}: {request.Resource} {spec.Resource.Unit.ToString().ToLowerInvariant()}"
            + $" [{trial.Configuration.Key(spec.Space)}] {spec.Metric.Name} {MetricOf(record):F4}, {outcome.Joules:F1} J ({outcome.StopReason})");
        return Score(record);
    }

    private double Score(SegmentRecord record) => MetricOf(record) is { } value && !double.IsNaN(value) ? spec.Metric.Score(value) : double.NegativeInfinity;

    private double? MetricOf(SegmentRecord record) => spec.Metric.Name == "loss" ? record.Loss : record.Accuracy;

    private TrialRecord TrialFor(Configuration configuration, string key)
    {
        if (!_trials.TryGetValue(key, out var trial))
        {
            var values = spec.Space.Select((d, i) => (d.Path, configuration.Values[i])).ToDictionary(p => p.Path, p => p.Item2);
            _trials[key] = trial = new TrialRecord($"{spec.Name}-c{configuration.Id}", configuration, values);
        }
        return trial;
    }

    private string? BudgetSpent()
    {
        var budget = spec.Budget;
        var kwh = Total(t => t.Joules) / 3.6e6;
        if (budget.Kwh is { } maxKwh && kwh >= maxKwh) return $"energy budget spent ({kwh:F6} of {maxKwh} kWh)";
        var grams = Total(t => t.GramsCo2);
        if (budget.GramsCo2 is { } maxGrams && grams >= maxGrams) return $"emissions budget spent ({grams:F3} of {maxGrams} g CO2eq)";
        return null;
    }

    private double Total(Func<TrialRecord, double> of) => _trials.Values.Sum(of);
}
