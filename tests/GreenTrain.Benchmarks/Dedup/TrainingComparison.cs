using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Energy.Training;
using GreenTrain.Trainer.Engine;
using Microsoft.Extensions.Logging.Abstractions;

namespace GreenTrain.Benchmarks.Dedup;

/// <summary>One evaluation of a run, with the energy measured from the start of training (dedup included for the dedup run).</summary>
public sealed record EvaluationPoint(long Step, double Epoch, double Metric, double Joules, double Seconds);

/// <summary>A training run of the comparison: its evaluations, test score, and totals.</summary>
public sealed record TrainedRun(string Name, int TrainExamples, List<EvaluationPoint> Evaluations, double TestLoss, double? TestAccuracy, double TrainJoules, double DedupJoules, double Seconds);

/// <summary>
/// Trains the same spec on a data set, metered by the Trainer's energy meter (RunFolderEnergy into a scratch
/// folder) and records the cumulative energy at every evaluation, so energy to a target can be read off.
/// </summary>
public static class TrainingComparison
{
    public static TrainedRun Train(string name, ExperimentSpec spec, ITrainingData data, string folder, double dedupJoules, double dedupSeconds, TorchSharp.torch.Device device)
    {
        Directory.CreateDirectory(folder);
        var trainExamples = (int)data.Train.Count;
        using var energy = new RunFolderEnergy(folder, name);
        var recorder = new Recorder(energy, dedupJoules, dedupSeconds, spec.Training.Target?.Metric ?? (data.Task == DataTask.Classification ? MetricKind.Accuracy : MetricKind.Loss));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = TrainingSession.Run(spec, new RunOptions { Device = device, CpuThreads = RunOptions.DefaultCpuThreads, LogEverySteps = 50 }, [energy.Observer, recorder], NullLogger.Instance, data: data);
        var joules = energy.Total(EnergyPhase.Train).Joules + energy.Total(EnergyPhase.Evaluate).Joules;
        return new TrainedRun(name, trainExamples, recorder.Points, result.Test.Loss, result.Test.Accuracy, joules, dedupJoules, clock.Elapsed.TotalSeconds + dedupSeconds);
    }

    /// <summary>The first evaluation at or past the target (accuracy at least, loss at most), or null.</summary>
    public static EvaluationPoint? ToTarget(TrainedRun run, MetricKind metric, double target) =>
        run.Evaluations.FirstOrDefault(p => metric == MetricKind.Accuracy ? p.Metric >= target : p.Metric <= target);

    private sealed class Recorder(RunFolderEnergy energy, double offsetJoules, double offsetSeconds, MetricKind metric) : ITrainingObserver
    {
        private readonly System.Diagnostics.Stopwatch _clock = new();

        public List<EvaluationPoint> Points { get; } = [];

        public void Observe(TrainingEvent trainingEvent, TrainingState state)
        {
            if (trainingEvent == TrainingEvent.FitStart) _clock.Restart();
            if (trainingEvent != TrainingEvent.EvaluationEnd || state.Evaluations.LastOrDefault() is not { } last) return;
            energy.Meter.Flush();
            var joules = energy.Total(EnergyPhase.Train).Joules + energy.Total(EnergyPhase.Evaluate).Joules;
            Points.Add(new EvaluationPoint(last.Step, last.Epoch, last.Metric(metric), joules + offsetJoules, _clock.Elapsed.TotalSeconds + offsetSeconds));
        }
    }
}
