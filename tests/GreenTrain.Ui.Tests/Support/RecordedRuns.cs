using System.Globalization;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.ServiceDefaults.Carbon;
using GreenTrain.Scheduler.Planning;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Energy.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Ui.Tests.Support;

/// <summary>
/// Writes runs into a real store through the code that writes them in production: the Scheduler's experiment store
/// (records, plan history) and forecast cache, the Trainer's energy-window publisher, progress and evaluation writers
/// and checkpoint store. "demo-digits" ran 06:00-08:01, paused until 11:00 and finished at 12:00 on 20 April 2020 in DE.
/// </summary>
public sealed class RecordedRuns(GreenTrainStore store)
{
    public const string Paused = "demo-digits", Cheap = "digits-small", Dominated = "digits-wide", Live = "live-run";

    public static readonly DateTimeOffset Start = new(2020, 4, 20, 6, 0, 0, TimeSpan.Zero);

    /// <summary>When demo-digits stopped measuring (its checkpoint window's end) and when it measured again.</summary>
    public static readonly DateTimeOffset PauseStart = Start.AddHours(2).AddMinutes(1), PauseEnd = Start.AddHours(5);

    public static readonly byte[] Weights = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();

    private readonly ExperimentStore _records = new(store);
    private readonly SharedExperiments _shared = new(store);
    private readonly StoreEnergyWindowPublisher _energy = new(store);

    public async Task WriteAllAsync()
    {
        await WritePausedRunAsync();
        await WriteStraightRunAsync(Cheap, windows: 4, cpuWatts: 15, accuracy: 0.93);
        await WriteStraightRunAsync(Dominated, windows: 8, cpuWatts: 40, accuracy: 0.90);
        await WriteLiveAsync(step: 10);
        await WriteForecastAsync();
    }

    private async Task WritePausedRunAsync()
    {
        var windows = new List<EnergyWindow>();
        for (var i = 0; i < 8; i++)
        {
            windows.Add(Window(Paused, windows.Count, Start.AddMinutes(15 * i), TimeSpan.FromMinutes(15), EnergyPhase.Train, 20 * i, 20 * (i + 1), 30));
        }
        windows.Add(Window(Paused, windows.Count, Start.AddHours(2), TimeSpan.FromMinutes(1), EnergyPhase.Checkpoint, 160, 160, 30));
        for (var i = 0; i < 4; i++)
        {
            windows.Add(Window(Paused, windows.Count, PauseEnd.AddMinutes(15 * i), TimeSpan.FromMinutes(15), EnergyPhase.Train, 160 + 20 * i, 180 + 20 * i, 30));
        }
        await PublishAsync(Paused, 240, windows);
        var first = Plan(Paused, (Start, PauseStart), (PauseEnd, PauseEnd.AddHours(1)));
        var replan = Plan(Paused, (Start.AddHours(1), PauseStart), (PauseEnd, PauseEnd.AddHours(1)));
        await _shared.AppendPlanAsync(Paused, Snapshot(first, Start.AddMinutes(-5)));
        await _shared.AppendPlanAsync(Paused, Snapshot(replan, Start.AddHours(1)));
        await SaveRecordAsync(Paused, ExperimentState.Completed, 1, 0.97, first, replan);
        await WriteEvaluationsAsync(Paused, 240, 0.97);
        await WriteProgressAsync(Paused, ExperimentRunState.Completed, 240, 240, 0.97);
        var checkpoints = new CheckpointStore(store, Options.Create(new CheckpointOptions()), NullLogger<CheckpointStore>.Instance);
        await checkpoints.SaveAsync(new CheckpointSnapshot(Paused, 240, "spec-hash",
            [new CheckpointSection("state", "{}"u8.ToArray()), new CheckpointSection("parameters", Weights)]));
    }

    private async Task WriteStraightRunAsync(string id, int windows, double cpuWatts, double accuracy)
    {
        var list = Enumerable.Range(0, windows)
            .Select(i => Window(id, i, Start.AddMinutes(15 * i), TimeSpan.FromMinutes(15), EnergyPhase.Train, 30 * i, 30 * (i + 1), cpuWatts)).ToList();
        await PublishAsync(id, 30 * windows, list);
        var plan = Plan(id, (Start, Start.AddMinutes(15 * windows)));
        await _shared.AppendPlanAsync(id, Snapshot(plan, Start));
        await SaveRecordAsync(id, ExperimentState.Completed, 1, accuracy, plan, plan);
        await WriteEvaluationsAsync(id, 30 * windows, accuracy);
        await WriteProgressAsync(id, ExperimentRunState.Completed, 30 * windows, 30 * windows, accuracy);
    }

    /// <summary>The live run as its worker reports it: running at <paramref name="step"/> of 100, or in <paramref name="state"/>.</summary>
    public async Task WriteLiveAsync(long step, ExperimentRunState state = ExperimentRunState.Running)
    {
        if (step == 10)
        {
            await SaveRecordAsync(Live, ExperimentState.Running, 0.1, null, null, null);
        }
        await WriteProgressAsync(Live, state, step, 100, null);
    }

    private async Task WriteForecastAsync()
    {
        // The Scheduler's cache of DE: the trace's values 5% high, so the regions page has an error to show.
        var trace = File.ReadLines(TracePath).Skip(1).Select(l => l.Split(','))
            .Select(p => (Time: new DateTimeOffset(DateTime.Parse(p[0], CultureInfo.InvariantCulture), TimeSpan.Zero), Value: double.Parse(p[1], CultureInfo.InvariantCulture)))
            .Where(p => p.Time >= Start && p.Time < Start.AddHours(12)).ToList();
        var intervals = trace.Select(p => new IntensityInterval(p.Time, p.Time.AddMinutes(15), p.Value * 1.05, IntensitySignal.Average, "trace-replay", "DE")).ToList();
        await new ForecastCache(store).SaveAsync(new IntensitySeries("DE", intervals), Start, TimeSpan.FromDays(3650), keepPast: TimeSpan.FromDays(7));
    }

    public static string TracePath => Path.Combine(AppContext.BaseDirectory, "data", "de_2020.csv");

    private async Task PublishAsync(string id, long totalSteps, IEnumerable<EnergyWindow> windows)
    {
        await _energy.PublishRunInfoAsync(new EnergyRunInfo(id, "run-1", id, "DE", totalSteps, totalSteps / 10, "test-machine", "Linux", "Test CPU", 2, 24));
        foreach (var window in windows)
        {
            await _energy.PublishAsync(window);
        }
    }

    private async Task SaveRecordAsync(string id, ExperimentState state, double progress, double? best, JobPlan? first, JobPlan? plan) =>
        await _records.SaveAsync(new ExperimentRecord
        {
            Id = id,
            Spec = new ExperimentSpec { Name = id, Carbon = new CarbonSpec { Deadline = Start.AddHours(12), AllowedRegions = ["DE"] } },
            SubmittedAt = Start.AddMinutes(-10),
            EstimatedHours = 3,
            EstimatedKWh = 0.1,
            State = state,
            Region = "DE",
            Progress = progress,
            BestMetric = best,
            FirstPlan = first,
            Plan = plan,
            PlannedAt = Start,
            UpdatedAt = Start.AddHours(6),
        });

    private async Task WriteEvaluationsAsync(string id, long steps, double best)
    {
        for (var step = steps / 6; step <= steps; step += steps / 6)
        {
            var share = (double)step / steps;
            var evaluation = new { step, epoch = share * 10, trainLoss = 2.2 * (1 - share) + 0.15, loss = 2.0 * (1 - share) + 0.2, accuracy = 0.5 + (best - 0.5) * share };
            _shared.AppendEvaluation(id, JsonSerializer.Serialize(evaluation, JsonSerializerOptions.Web));
        }
        await store.Database.PingAsync(); // the appends are fire-and-forget: a round trip after them means they have landed
    }

    private Task WriteProgressAsync(string id, ExperimentRunState state, long step, long total, double? best) =>
        _shared.WriteProgressAsync(new ExperimentProgress(id, state, step, total, 1,
            best is { } b ? LastMetric(state, step, b) : null, best,
            Region: "DE", Worker: "test:1", RunId: "run-1", UpdatedAt: state == ExperimentRunState.Running ? DateTimeOffset.UtcNow : Start.AddHours(6)));

    /// <summary>The progress hash's lastMetric as the worker writes it: the newest evaluation, and at completion the final and test ones.</summary>
    private static string LastMetric(ExperimentRunState state, long step, double accuracy)
    {
        var evaluation = new { step, loss = 0.2, accuracy };
        return state == ExperimentRunState.Completed
            ? JsonSerializer.Serialize(new { final = evaluation, test = evaluation with { } }, JsonSerializerOptions.Web)
            : JsonSerializer.Serialize(evaluation, JsonSerializerOptions.Web);
    }

    private static EnergyWindow Window(string id, int sequence, DateTimeOffset start, TimeSpan length, EnergyPhase phase, long from, long to, double cpuWatts) =>
        new(id, "run-1", sequence, start, start + length, phase, from, to,
        [
            new DeviceEnergy("cpu", DeviceKind.Cpu, EnergyMethod.Estimate, cpuWatts * length.TotalSeconds, cpuWatts, 50),
            new DeviceEnergy("memory", DeviceKind.Memory, EnergyMethod.Estimate, 6 * length.TotalSeconds, 6),
        ]);

    private static JobPlan Plan(string id, params (DateTimeOffset Start, DateTimeOffset End)[] runs) =>
        new(id, runs.Select(r => new PlannedInterval("DE", r.Start, r.End)).ToList(), 10, 14, true, PlanningPolicy.Interruptible, runs.Length - 1, 0);

    private static PlanSnapshot Snapshot(JobPlan plan, DateTimeOffset at) =>
        new(at, plan.Intervals.Select(i => new PlanSnapshotInterval(i.Region, i.Start, i.End)).ToList(), plan.ExpectedGrams, plan.RunNowGrams,
            plan.MeetsDeadline, plan.Pauses, plan.Migrations);
}
